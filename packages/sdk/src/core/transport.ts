import ky, { type KyInstance, isTimeoutError as isKyTimeoutError } from 'ky';
import type { ZodMiniType } from 'zod/mini';
import type { components } from '../generated/openapi.js';
import { readBody, streamBody } from './body.js';
import type { CircuitBreaker } from './breaker.js';
import { isLoopbackHost } from './config.js';
import {
  CircuitOpenError,
  ConnectionError,
  type DtmError,
  type ErrorContext,
  InsecureTransportError,
  RequestAbortedError,
  ResponseTooLargeError,
  ResponseValidationError,
  TimeoutError,
  errorFromResponse,
  isApiError,
  parseRetryAfter,
} from './errors.js';
import { type Hooks, callHook } from './hooks.js';
import { validate } from './shape-check.js';
import type { ResolvedLog } from './logger.js';
import { redactBody, redactHeaders } from './redact.js';
import { type ResolvedRetryOptions, backoffDelay, canRetry, isRetryableStatus, sleep } from './retry.js';
import type { Session } from './session.js';

type Problem = components['schemas']['Problem'];
/** The HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** A query parameter's value; an array is sent comma-separated (`status=pending,blocked`). */
export type QueryValue = string | number | boolean | readonly (string | number)[];

/** Options every SDK method accepts as its last argument. */
export interface RequestOptions {
  /** Cancels the call, including waits between retries. */
  signal?: AbortSignal;
  /** Timeout of each attempt in ms; overrides the client's. */
  timeoutMs?: number;
  /** The longest wait for the next chunk of a streamed body (`tasks.export()`, `exportCsv()`, `request()`), in ms; overrides the client's. */
  streamIdleTimeoutMs?: number;
  /** Overrides the client's retry limit for this call (0 disables retries). */
  retries?: number;
  /** The common name of `retries`. */
  maxRetries?: number;
  /** The Idempotency-Key to send; POSTs that change data get a fresh one by default. */
  idempotencyKey?: string;
  /** Extra headers. An `X-Request-Id` given here is used instead of a generated one. */
  headers?: Record<string, string>;
}

/** What one call of the transport needs to know. Built by the resource methods. */
export interface CallSpec<T> {
  readonly operation: string;
  readonly method: HttpMethod;
  /** The path with its parameters already filled in and encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue | undefined>> | undefined;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** Sends the bearer token and refreshes it once on 401. */
  readonly secured: boolean;
  /** The request carries credentials in its body (login, refresh, logout). */
  readonly sendsCredentials?: boolean;
  /** Adds an Idempotency-Key to this POST unless the caller gave one. */
  readonly idempotent?: boolean;
  /** `json`: parse and validate; `empty`: no body expected; `stream`: hand the body to the caller. */
  readonly expect: 'json' | 'empty' | 'stream';
  /**
   * Holds a streamed body to the client's `maxResponseBytes` too (`client.request()`, which
   * buffers it); bodies the transport reads itself always are, exports are not.
   */
  readonly sizeLimited?: boolean;
  readonly schema?: ZodMiniType<T>;
  /**
   * Statuses to treat as success besides 2xx (health answers 503 with a body; a conditional
   * read 304, whose empty body is not parsed or validated: `data` is undefined).
   */
  readonly alsoOk?: readonly number[];
  readonly options?: RequestOptions | undefined;
}

export interface CallResult<T> {
  readonly data: T;
  readonly status: number;
  readonly headers: Headers;
  readonly requestId: string;
  readonly context: ErrorContext;
  /** The response. For `expect: 'stream'` read its body through `body`, not directly; otherwise it was read into `text`. */
  readonly response: Response;
  /** The body as read (undefined for `expect: 'stream'`). */
  readonly text: string | undefined;
  /**
   * For `expect: 'stream'`: the body, read under the idle timeout, the caller's signal and
   * (with `sizeLimited`) `maxResponseBytes`. Null for other calls and bodiless answers.
   */
  readonly body: ReadableStream<Uint8Array> | null;
}

export interface TransportConfig {
  readonly baseUrl: string;
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs: number;
  /** Undefined: each call's `timeoutMs`. */
  readonly streamIdleTimeoutMs: number | undefined;
  readonly maxResponseBytes: number;
  readonly retry: ResolvedRetryOptions;
  readonly validate: boolean;
  readonly hooks: Hooks;
  readonly breaker: CircuitBreaker | undefined;
  readonly session: Session;
  readonly allowInsecureHttp: boolean;
  readonly userAgent: string | undefined;
  readonly defaultHeaders: Readonly<Record<string, string>>;
  readonly defaultQuery: Readonly<Record<string, string>>;
  readonly log: ResolvedLog;
}

/**
 * Sends one logical call: attempts, retries with backoff, a single token refresh, the
 * circuit breaker, response parsing and validation, and the hooks. ky sends each attempt;
 * its own retry, timeout and hook machinery stays off because this layer decides those
 * once per call (and ky's versions would clone the request or response per attempt).
 */
export class Transport {
  readonly #config: TransportConfig;
  readonly #ky: KyInstance;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#ky = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, fetch: config.fetch });
  }

  get baseUrl(): string {
    return this.#config.baseUrl;
  }

  get validates(): boolean {
    return this.#config.validate;
  }

  /** The client's timeout of each attempt, in ms (calls may override it). */
  get timeoutMs(): number {
    return this.#config.timeoutMs;
  }

  async call<T>(spec: CallSpec<T>): Promise<CallResult<T>> {
    const started = performance.now();
    const options = spec.options ?? {};
    const { defaultQuery, log } = this.#config;
    const url = this.#config.baseUrl + spec.path + queryString(defaultQuery === noQuery ? spec.query : { ...defaultQuery, ...spec.query });
    const requestId = headerValue(options.headers, 'x-request-id') ?? newRequestId();
    const context: ErrorContext = { operation: spec.operation, method: spec.method, url, requestId };
    const idempotencyKey =
      options.idempotencyKey ?? (spec.method === 'POST' && spec.idempotent ? crypto.randomUUID() : undefined);
    const retryable = canRetry(spec.method, idempotencyKey !== undefined);
    const retryLimit = options.retries ?? options.maxRetries ?? this.#config.retry.limit;

    let attempts = 0;
    let retries = 0;
    let refreshed = false;
    let status: number | null = null;
    let ok = false;
    try {
      this.#checkTransportSecurity(spec, url);
      for (;;) {
        attempts++;
        const usedToken = spec.secured ? await this.#config.session.accessToken() : undefined;
        let exchange: Exchange | undefined;
        let error: DtmError | undefined;
        try {
          exchange = await this.#attempt(spec, context, attempts, usedToken, idempotencyKey);
        } catch (caught) {
          if (!(caught instanceof ConnectionError || caught instanceof TimeoutError)) throw caught;
          error = caught;
        }
        if (exchange) {
          const { response } = exchange;
          status = response.status;
          // One refresh per call; a concurrent call may already have refreshed, then we just replay.
          // Never for a request that carries credentials itself (login, refresh, logout): its 401 is the answer.
          if (status === 401 && spec.secured && !spec.sendsCredentials && !refreshed && (await this.#config.session.refresh(usedToken))) {
            refreshed = true;
            continue;
          }
          if ((status >= 200 && status < 300) || spec.alsoOk?.includes(status)) {
            const result = this.#read(spec, exchange, context);
            ok = true;
            return result;
          }
          error = errorFromResponse(status, problemFrom(exchange), response.headers, context);
        }
        if (!error) throw new Error('unreachable: an attempt ended with neither a response nor an error');

        const delayMs = retryable && retries < retryLimit ? this.#retryDelay(error, retries) : undefined;
        if (delayMs !== undefined) log.log('info', `${spec.operation}: retry ${retries + 1} of ${retryLimit} in ${Math.round(delayMs)} ms after: ${error.message}`, { requestId });
        callHook(this.#config.hooks.onError, {
          operation: spec.operation,
          method: spec.method,
          url,
          requestId,
          attempt: attempts,
          error,
          willRetry: delayMs !== undefined,
          delayMs,
        }, log.log, 'onError');
        if (delayMs === undefined) throw error;
        retries++;
        await sleep(delayMs, options.signal).catch((reason: unknown) => {
          throw new RequestAbortedError(context, reason);
        });
      }
    } finally {
      callHook(this.#config.hooks.onMetrics, {
        operation: spec.operation,
        method: spec.method,
        status,
        attempts,
        durationMs: performance.now() - started,
        requestId,
        ok,
      }, log.log, 'onMetrics');
    }
  }

  /** One HTTP exchange up to the response headers (the whole body too, unless streaming). */
  async #attempt(
    spec: CallSpec<unknown>,
    context: ErrorContext,
    attempt: number,
    token: string | undefined,
    idempotencyKey: string | undefined,
  ): Promise<Exchange> {
    const { breaker, hooks, log } = this.#config;
    if (breaker && !breaker.allowRequest()) throw new CircuitOpenError(spec.operation, breaker.retryAt());

    const headers = this.#headers(spec, context.requestId, token, idempotencyKey);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (hooks.onRequest) {
      callHook(hooks.onRequest, {
        operation: spec.operation,
        method: spec.method,
        url: context.url,
        requestId: context.requestId,
        attempt,
        headers: redactHeaders(headers),
        body: redactBody(spec.body),
      }, log.log, 'onRequest');
    }
    if (log.debug) log.log('debug', `→ ${spec.method} ${context.url}`, { requestId: context.requestId, attempt, headers: redactHeaders(headers) });

    const timeoutMs = spec.options?.timeoutMs ?? this.#config.timeoutMs;
    const callerSignal = spec.options?.signal;
    const started = performance.now();
    let response: Response;
    try {
      if (callerSignal?.aborted) throw callerSignal.reason;
      // ky's own timeout, and a signal only when the caller has one: passing a signal of
      // our own makes ky combine signals with AbortSignal.any on every request, which
      // costs more than the rest of the SDK together.
      response = await this.#ky(context.url, {
        method: spec.method,
        headers,
        body,
        timeout: timeoutMs,
        ...(callerSignal ? { signal: callerSignal } : {}),
      });
    } catch (error) {
      if (callerSignal?.aborted) {
        breaker?.cancelTrial();
        throw new RequestAbortedError(context, error);
      }
      breaker?.recordFailure();
      if (isKyTimeoutError(error)) throw new TimeoutError(context, timeoutMs);
      throw new ConnectionError(context, error);
    }
    if (hooks.onResponse) {
      callHook(hooks.onResponse, {
        operation: spec.operation,
        method: spec.method,
        url: context.url,
        requestId: context.requestId,
        attempt,
        status: response.status,
        durationMs: performance.now() - started,
        headers: redactHeaders(response.headers),
      }, log.log, 'onResponse');
    }
    if (log.debug) log.log('debug', `← ${response.status} ${spec.method} ${context.url} in ${Math.round(performance.now() - started)} ms`, { requestId: context.requestId, attempt });
    if (spec.expect === 'stream' && response.ok) {
      // The body is read by the caller: only the wait for headers is bounded here.
      breaker?.recordSuccess();
      return { response, text: '' };
    }
    // Read the body inside the attempt, so a connection that breaks mid-body is a
    // connection failure (retryable), within what is left of the attempt's time.
    const answered = (): void => {
      if (response.status >= 500) breaker?.recordFailure();
      else breaker?.recordSuccess();
    };
    let text: string;
    try {
      text = await readBody(response, context, {
        signal: callerSignal,
        deadline: { at: started + timeoutMs, timeoutMs },
        maxBytes: this.#config.maxResponseBytes,
      });
    } catch (error) {
      if (error instanceof RequestAbortedError) breaker?.cancelTrial();
      else if (error instanceof ResponseTooLargeError) answered();
      else breaker?.recordFailure();
      throw error;
    }
    answered();
    return { response, text };
  }

  #headers(
    spec: CallSpec<unknown>,
    requestId: string,
    token: string | undefined,
    idempotencyKey: string | undefined,
  ): Record<string, string> {
    const headers: Record<string, string> = {
      accept: spec.expect === 'stream' ? '*/*' : 'application/json, application/problem+json',
      'x-request-id': requestId,
    };
    if (this.#config.userAgent) headers['user-agent'] = this.#config.userAgent;
    for (const [name, value] of Object.entries(this.#config.defaultHeaders)) headers[name.toLowerCase()] = value;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    for (const [name, value] of Object.entries(spec.headers ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    for (const [name, value] of Object.entries(spec.options?.headers ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  }

  #read<T>(spec: CallSpec<T>, { response, text }: Exchange, context: ErrorContext): CallResult<T> {
    const base = { status: response.status, headers: response.headers, requestId: context.requestId, context, response, body: null };
    if (spec.expect === 'stream') {
      const options = spec.options ?? {};
      const body = streamBody(response, context, {
        signal: options.signal,
        idleTimeoutMs: options.streamIdleTimeoutMs ?? this.#config.streamIdleTimeoutMs ?? options.timeoutMs ?? this.#config.timeoutMs,
        maxBytes: spec.sizeLimited ? this.#config.maxResponseBytes : undefined,
      });
      return { ...base, text: undefined, data: undefined as T, body };
    }
    if (spec.expect !== 'json' || response.status === 304) return { ...base, text, data: undefined as T };

    const contentType = response.headers.get('content-type') ?? '';
    if (!/[/+]json\b/i.test(contentType)) {
      throw new ResponseValidationError(context, response.status, '', `expected JSON, got "${contentType || 'no content type'}"`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ResponseValidationError(context, response.status, '', `the body is not valid JSON (${reason})`);
    }
    if (!this.#config.validate || !spec.schema) return { ...base, text, data: data as T };
    const checked = validate(spec.schema, data);
    if (!checked.success) throw new ResponseValidationError(context, response.status, checked.path, checked.message);
    return { ...base, text, data: checked.data };
  }

  #retryDelay(error: DtmError, retries: number): number | undefined {
    const { retry } = this.#config;
    if (isApiError(error)) {
      if (!isRetryableStatus(error.status)) return undefined;
      const retryAfter = parseRetryAfter(error.headers.get('retry-after'));
      if (retryAfter !== undefined) return retryAfter <= retry.maxRetryAfterMs ? retryAfter : undefined;
    } else if (!retry.retryUnreachable && (error instanceof ConnectionError || error instanceof TimeoutError)) {
      // The caller has a fallback: hand it the failure now rather than after the backoff.
      return undefined;
    }
    return backoffDelay(retries, retry);
  }

  #checkTransportSecurity(spec: CallSpec<unknown>, url: string): void {
    if (this.#config.allowInsecureHttp || !(spec.secured || spec.sendsCredentials)) return;
    const { protocol, hostname } = new URL(url);
    if (protocol === 'http:' && !isLoopbackHost(hostname)) throw new InsecureTransportError(url);
  }
}

/** A response with its body already read (empty for streams, whose body is left unread). */
interface Exchange {
  readonly response: Response;
  readonly text: string;
}

/** Reads an error body as problem details, or describes what came instead. */
function problemFrom({ response, text }: Exchange): Problem {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as Problem).title === 'string') {
      return { ...(parsed as Problem), status: response.status };
    }
  } catch {
    // Not JSON: fall through to a synthesised problem.
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    ...(snippet && !snippet.startsWith('<') ? { detail: snippet } : {}),
  };
}

/** The `defaultQuery` of a client that has none (the common case skips merging). */
export const noQuery: Readonly<Record<string, string>> = Object.freeze({});

/** Encodes query parameters the way the contract declares them (arrays comma-separated). */
export function queryString(query: Readonly<Record<string, QueryValue | undefined>> | undefined): string {
  if (!query) return '';
  let result = '';
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    result += `${result ? '&' : '?'}${encodeURIComponent(name)}=${encodeURIComponent(text)}`;
  }
  return result;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function newRequestId(): string {
  return `req_${crypto.randomUUID().replaceAll('-', '')}`;
}
