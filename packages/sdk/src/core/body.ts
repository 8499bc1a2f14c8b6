import {
  ConnectionError,
  type DtmError,
  type ErrorContext,
  RequestAbortedError,
  ResponseTooLargeError,
  TimeoutError,
} from './errors.js';

/** The bounds a response body is read under. */
export interface BodyLimits {
  /** Ends the read with RequestAbortedError, also while waiting for a chunk. */
  readonly signal?: AbortSignal | undefined;
  /** The longest wait for the next chunk, in ms: TimeoutError (idle) after it. */
  readonly idleTimeoutMs?: number | undefined;
  /** The whole body must have arrived by `at` (a `performance.now()` time): TimeoutError of the attempt's `timeoutMs`. */
  readonly deadline?: { readonly at: number; readonly timeoutMs: number } | undefined;
  /** The most bytes accepted: ResponseTooLargeError beyond them. Undefined: no limit. */
  readonly maxBytes?: number | undefined;
}

/**
 * A response body read chunk by chunk under its limits. Whatever ends it early (the
 * caller's signal, silence, size, a broken connection) cancels the download, so no socket
 * is left open, and raises the SDK's error for it. The signal is watched directly rather
 * than through fetch: a signal handed to `fetch` follows the caller's through weak
 * references in some implementations, and stops following once the request is collected.
 */
class GuardedBody {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #context: ErrorContext;
  readonly #limits: BodyLimits;
  readonly #onAbort = (): void => {
    this.#fail(new RequestAbortedError(this.#context, this.#limits.signal?.reason));
  };
  readonly #announcedBytes: number | undefined;
  #received = 0;
  #failure: DtmError | undefined;
  #rejectPending: ((error: DtmError) => void) | undefined;

  constructor(body: ReadableStream<Uint8Array>, context: ErrorContext, limits: BodyLimits, announcedBytes: number | undefined) {
    this.#reader = body.getReader();
    this.#announcedBytes = announcedBytes;
    this.#context = context;
    this.#limits = limits;
    if (limits.signal?.aborted) this.#onAbort();
    else limits.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The next chunk, or undefined at the end of the body. */
  next(): Promise<Uint8Array | undefined> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#rejectPending = reject;
      const timer = this.#startTimer();
      this.#reader.read().then(
        ({ done, value }) => {
          clearTimeout(timer);
          this.#rejectPending = undefined;
          if (this.#failure) return;
          if (done) {
            this.#release();
            resolve(undefined);
            return;
          }
          this.#received += value.byteLength;
          const { maxBytes } = this.#limits;
          if (maxBytes !== undefined && this.#received > maxBytes) {
            reject(this.#fail(new ResponseTooLargeError(this.#context, maxBytes, this.#announcedBytes)));
            return;
          }
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          const aborted = this.#limits.signal?.aborted === true;
          reject(this.#fail(aborted ? new RequestAbortedError(this.#context, error) : new ConnectionError(this.#context, error)));
        },
      );
    });
  }

  /** Stops the download (the consumer is done early). */
  cancel(reason?: unknown): Promise<void> {
    this.#release();
    return this.#reader.cancel(reason);
  }

  /** A timer for the wait of one chunk: the idle timeout or what is left of the deadline, the sooner. */
  #startTimer(): ReturnType<typeof setTimeout> | undefined {
    const { idleTimeoutMs = Infinity, deadline } = this.#limits;
    const leftMs = deadline ? deadline.at - performance.now() : Infinity;
    const waitMs = Math.min(idleTimeoutMs, leftMs);
    if (waitMs === Infinity) return undefined;
    const timeout = (): TimeoutError =>
      deadline && leftMs <= idleTimeoutMs
        ? new TimeoutError(this.#context, deadline.timeoutMs)
        : new TimeoutError(this.#context, idleTimeoutMs, true);
    return setTimeout(() => this.#fail(timeout()), Math.max(0, waitMs));
  }

  /** Ends the read with `error` (the first failure wins), cancelling the download. */
  #fail(error: DtmError): DtmError {
    if (this.#failure) return this.#failure;
    this.#failure = error;
    this.#release();
    this.#reader.cancel(error).catch(() => undefined);
    this.#rejectPending?.(error);
    this.#rejectPending = undefined;
    return error;
  }

  #release(): void {
    this.#limits.signal?.removeEventListener('abort', this.#onAbort);
  }
}

/** Rejects a body whose Content-Length is over the limit before reading any of it (and cancels it). */
function openBody(response: Response, context: ErrorContext, limits: BodyLimits): GuardedBody | undefined {
  const { maxBytes } = limits;
  const header = Number(response.headers.get('content-length') ?? Number.NaN);
  const announced = Number.isFinite(header) ? header : undefined;
  if (maxBytes !== undefined && announced !== undefined && announced > maxBytes) {
    response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(context, maxBytes, announced);
  }
  return response.body ? new GuardedBody(response.body, context, limits, announced) : undefined;
}

/** Reads a whole body as UTF-8 text under `limits`. */
export async function readBody(response: Response, context: ErrorContext, limits: BodyLimits): Promise<string> {
  const body = openBody(response, context, limits);
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let chunk = await body.next(); chunk; chunk = await body.next()) {
    chunks.push(chunk);
    length += chunk.length;
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return decoder.decode(bytes);
}

/** The body as a stream that is read under `limits` (only while its consumer reads: no read-ahead); null when there is none. */
export function streamBody(response: Response, context: ErrorContext, limits: BodyLimits): ReadableStream<Uint8Array> | null {
  const body = openBody(response, context, limits);
  if (!body) return null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = await body.next();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
      cancel: (reason) => body.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

const decoder = new TextDecoder();
