import type { Log } from './logger.js';

import type { DtmError } from './errors.js';

/** Sent before every attempt. Secrets in headers and body are already redacted. */
export interface RequestEvent {
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  readonly requestId: string;
  /** 1 for the first attempt, 2 for the first retry or replay, and so on. */
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Sent when an attempt got an HTTP answer, whatever its status. */
export interface ResponseEvent {
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  readonly requestId: string;
  readonly attempt: number;
  readonly status: number;
  /** Time to response headers for this attempt. */
  readonly durationMs: number;
  /** Response headers (secret ones redacted). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Sent when an attempt failed; `willRetry` says whether another attempt follows. */
export interface ErrorEvent {
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  readonly requestId: string;
  readonly attempt: number;
  readonly error: DtmError;
  readonly willRetry: boolean;
  /** The wait before the next attempt, when there is one. */
  readonly delayMs: number | undefined;
}

/** Sent once per call, after the last attempt: what a performance log needs. */
export interface CallMetrics {
  readonly operation: string;
  readonly method: string;
  /** The last HTTP status seen, or null when no answer came. */
  readonly status: number | null;
  readonly attempts: number;
  /** Wall time of the whole call, retries and waits included. */
  readonly durationMs: number;
  readonly requestId: string;
  readonly ok: boolean;
}

/**
 * Observers for logging and metrics. They never see a password or token in clear, and an
 * exception thrown by a hook is ignored rather than failing the call.
 */
export interface Hooks {
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
  onError?: (event: ErrorEvent) => void;
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
