import type { Log } from './logger.js';

import type { DtmError } from './errors.js';

/** Sent before every attempt. Secrets in headers and body are already redacted. */
export interface RequestEvent {
  /** The operationId of the call, e.g. `getTask`. */
  readonly operation: string;
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** The full URL of the request, query string included. */
  readonly url: string;
  /** The `X-Request-Id` sent with the request; the same for every attempt of a call. */
  readonly requestId: string;
  /** 1 for the first attempt, 2 for the first retry or replay, and so on. */
  readonly attempt: number;
  /** The request headers, lower-case, with `authorization` and other secrets redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body before serialisation, with passwords and tokens redacted; undefined when there is none. */
  readonly body: unknown;
}

/** Sent when an attempt got an HTTP answer, whatever its status. */
export interface ResponseEvent {
  /** The operationId of the call, e.g. `getTask`. */
  readonly operation: string;
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** The full URL of the request, query string included. */
  readonly url: string;
  /** The `X-Request-Id` sent with the request; the same for every attempt of a call. */
  readonly requestId: string;
  /** 1 for the first attempt, 2 for the first retry or replay, and so on. */
  readonly attempt: number;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Time to response headers for this attempt, in ms. */
  readonly durationMs: number;
  /** Response headers (secret ones redacted). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Sent when an attempt failed; `willRetry` says whether another attempt follows. */
export interface ErrorEvent {
  /** The operationId of the call, e.g. `getTask`. */
  readonly operation: string;
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** The full URL of the request, query string included. */
  readonly url: string;
  /** The `X-Request-Id` sent with the request; the same for every attempt of a call. */
  readonly requestId: string;
  /** 1 for the first attempt, 2 for the first retry or replay, and so on. */
  readonly attempt: number;
  /** What went wrong: an `ApiError` for an error status, else a `ConnectionError` or `TimeoutError`. */
  readonly error: DtmError;
  /** True when the client tries again, after `delayMs`; false when this error is thrown to the caller. */
  readonly willRetry: boolean;
  /** The wait before the next attempt in ms, when there is one. */
  readonly delayMs: number | undefined;
}

/** Sent once per call, after the last attempt: what a performance log needs. */
export interface CallMetrics {
  /** The operationId of the call, e.g. `getTask`. */
  readonly operation: string;
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** The last HTTP status seen, or null when no answer came. */
  readonly status: number | null;
  /** How many attempts were sent: 1, plus retries and a replay after a token refresh. */
  readonly attempts: number;
  /** Wall time of the whole call in ms, retries and waits included. */
  readonly durationMs: number;
  /** The `X-Request-Id` the call was sent with. */
  readonly requestId: string;
  /** True when the call succeeded. */
  readonly ok: boolean;
}

/**
 * Observers for logging and metrics. They never see a password or token in clear, and an
 * exception thrown by a hook is ignored rather than failing the call.
 */
export interface Hooks {
  /** Called before every attempt is sent. */
  onRequest?: (event: RequestEvent) => void;
  /** Called when an attempt got an HTTP answer, whatever its status. */
  onResponse?: (event: ResponseEvent) => void;
  /** Called when an attempt failed (an error status, no connection, a timeout), retried or not. */
  onError?: (event: ErrorEvent) => void;
  /** Called once per call, after its last attempt, whether it succeeded or not. */
  onMetrics?: (metrics: CallMetrics) => void;
}

/** Calls an observer; one that throws is logged (at warn) and otherwise ignored. */
export function callHook<E>(hook: ((event: E) => void) | undefined, event: E, log: Log, name: string): void {
  if (!hook) return;
  try {
    hook(event);
  } catch (error) {
    // An observer must not change the outcome of the call it observes.
    log('warn', `the ${name} hook threw, and was ignored: ${error instanceof Error ? error.message : String(error)}`);
  }
}
