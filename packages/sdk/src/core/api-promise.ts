import type { CallResult } from './transport.js';

/** What `.withResponse()` resolves with. */
export interface WithResponse<T> {
  /** What awaiting the call gives: the validated body. */
  data: T;
  /** The HTTP response; its body can be read again. */
  response: Response;
  /** The `X-Request-Id` the call was sent with (quote it in bug reports). */
  requestId: string;
}

/**
 * The promise every typed call returns (as openai-node's): await it for the data, or ask for
 * more with `.withResponse()` (`{ data, response, requestId }`) or `.asResponse()` (the
 * `Response` alone, before validation counts: its body is there to read again).
 * @example
 * const { data: task, requestId, response } = await client.tasks.get('TASK-000001').withResponse();
 * console.log(requestId, response.headers.get('etag'), task.title);
 */
export class APIPromise<T> extends Promise<T> {
  readonly #exchange: Promise<CallResult<unknown>>;
  readonly #map: (result: CallResult<unknown>) => T;
  #data: Promise<T> | undefined;

  /** @internal Built by the SDK's resource methods. */
  constructor(exchange: Promise<CallResult<unknown>>, map: (result: CallResult<unknown>) => T) {
    super((resolve) => {
      resolve(undefined as T);
    });
    this.#exchange = exchange;
    this.#map = map;
  }

  /** Promises derived with `then` are plain promises. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /** The data with the response it came in and the request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#exchange.then((result) => ({ data: this.#map(result), response: responseOf(result), requestId: result.requestId }));
  }

  /** The HTTP response (status, headers, a body to read). */
  asResponse(): Promise<Response> {
    return this.#exchange.then(responseOf);
  }

  #parsed(): Promise<T> {
    this.#data ??= this.#exchange.then(this.#map);
    return this.#data;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#parsed().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#parsed().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#parsed().finally(onfinally);
  }
}

/** A response whose body the transport read is given back with that body, readable again. */
function responseOf(result: CallResult<unknown>): Response {
  if (result.text === undefined) return result.response;
  const { response, text } = result;
  const empty = response.status === 204 || response.status === 304 || text === '';
  return new Response(empty ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
}
