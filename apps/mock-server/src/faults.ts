/**
 * Faults the stateful mock can inject, all off by default. They apply to every request of
 * the API (not to the `/__admin` endpoints), in this order: drop, latency, rate limit, error.
 */
export interface Faults {
  /** Milliseconds added before every answer. */
  latencyMs: number;
  /** Up to this many more milliseconds, at random, on top of `latencyMs`. */
  jitterMs: number;
  /** Share of requests (0–1) answered with one of `errorStatuses` instead. */
  errorRate: number;
  /** The statuses an injected error picks from (500, 502, 503). */
  errorStatuses: (500 | 502 | 503)[];
  /** Requests per second allowed before answering 429 with Retry-After; 0 is no limit. */
  rateLimit: number;
  /** Share of requests (0–1) whose connection is closed without an answer. */
  dropRate: number;
  /** Refuse connections altogether (the port stops listening). */
  down: boolean;
}

export const noFaults: Readonly<Faults> = Object.freeze<Faults>({
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorStatuses: [500, 502, 503],
  rateLimit: 0,
  dropRate: 0,
  down: false,
});

const errorStatuses = new Set([500, 502, 503]);

/**
 * Checks a partial fault setting from a flag or the admin endpoint; throws an Error that
 * names the bad field. Unknown fields are rejected so a typo is not silently ignored.
 */
export function parseFaults(input: unknown): Partial<Faults> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error('faults must be a JSON object, e.g. {"latencyMs": 200, "errorRate": 0.1}');
  }
  const result: Partial<Faults> = {};
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'latencyMs':
      case 'jitterMs':
      case 'rateLimit':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new Error(`${key} must be a number of 0 or more, got ${JSON.stringify(value)}`);
        }
        result[key] = value;
        break;
      case 'errorRate':
      case 'dropRate':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
          throw new Error(`${key} must be a number from 0 to 1, got ${JSON.stringify(value)}`);
        }
        result[key] = value;
        break;
      case 'errorStatuses':
        if (!Array.isArray(value) || value.length === 0 || !value.every((status) => errorStatuses.has(status as number))) {
          throw new Error(`errorStatuses must be a non-empty list of 500, 502 and 503, got ${JSON.stringify(value)}`);
        }
        result.errorStatuses = value as Faults['errorStatuses'];
        break;
      case 'down':
        if (typeof value !== 'boolean') throw new Error(`down must be true or false, got ${JSON.stringify(value)}`);
        result.down = value;
        break;
      default:
        throw new Error(`unknown fault "${key}"; known: ${Object.keys(noFaults).join(', ')}`);
    }
  }
  return result;
}

/** A token bucket: `rate` requests per second, bursts up to `rate`. */
export class RateLimiter {
  #tokens = 0;
  #rate = 0;
  #last = 0;

  /** Takes a token; returns 0 when allowed, else the seconds until the next one (at least 1). */
  take(rate: number, nowMs: number): number {
    if (rate !== this.#rate) {
      this.#rate = rate;
      this.#tokens = rate;
      this.#last = nowMs;
    }
    this.#tokens = Math.min(rate, this.#tokens + ((nowMs - this.#last) / 1000) * rate);
    this.#last = nowMs;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / rate));
  }
}
