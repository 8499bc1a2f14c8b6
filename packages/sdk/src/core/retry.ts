/** When and how long to wait before trying a failed request again. */
export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  limit?: number;
  /** First backoff step in ms (default 300); each retry doubles it. */
  baseDelayMs?: number;
  /** Upper bound of one backoff wait in ms (default 10 000). */
  maxDelayMs?: number;
  /** Longer `Retry-After` waits than this are not honoured: the error is raised instead (default 60 000). */
  maxRetryAfterMs?: number;
  /**
   * Retry when the server could not be reached: a `ConnectionError` (refused, reset, broken
   * mid-body) or a `TimeoutError` (default true). Set it to false when the caller has a
   * fallback, such as a local copy, and would rather switch to it at once than wait out the
   * backoff. Answers with a retryable status (408, 429, 5xx) are still retried either way.
   */
  retryUnreachable?: boolean;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const defaultRetry: ResolvedRetryOptions = {
  limit: 2,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  retryUnreachable: true,
};

const retryableStatuses = new Set([408, 429, 500, 502, 503, 504]);
const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status);
}

/**
 * Only requests that cannot apply a change twice are retried: idempotent methods, and
 * requests carrying an Idempotency-Key (the server replays the first answer).
 */
export function canRetry(method: string, hasIdempotencyKey: boolean): boolean {
  return hasIdempotencyKey || idempotentMethods.has(method);
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base * 2^retry)). */
export function backoffDelay(retry: number, options: ResolvedRetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
