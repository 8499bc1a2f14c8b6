import type { Random } from './random.js';

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

/**
 * What one request asks for through its headers (`Prefer: code=…` or `X-Dtm-Fault`). A part
 * it names overrides the matching global switch for that request; the others still apply.
 */
export interface FaultPlan {
  /** Milliseconds to wait before answering, instead of the global latency and jitter. */
  latencyMs?: number;
  /** Answer this status (a problem+json) instead of handling the request. */
  status?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
}

/** A fault header that cannot be followed; the message names the bad part. */
export class FaultHeaderError extends Error {
  override readonly name = 'FaultHeaderError';
}

/** The longest latency one request may ask for, so a header cannot hold a connection forever. */
export const maxPlanLatencyMs = 60_000;

function planLatency(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value);
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (!(ms <= maxPlanLatencyMs)) {
    throw new FaultHeaderError(`X-Dtm-Fault: latency=${value} must be a duration up to 60s, e.g. latency=200ms or latency=2s`);
  }
  return ms;
}

function planStatus(header: string, part: string, value: string): number {
  const status = /^\d{3}$/.test(value) ? Number(value) : 0;
  if (status < 400 || status > 599) throw new FaultHeaderError(`${header}: ${part} must be an error status from 400 to 599`);
  return status;
}

/** Reads `X-Dtm-Fault: latency=200ms,status=503,drop` (any of the three, in any order). */
function parseFaultHeader(header: string): FaultPlan {
  const plan: FaultPlan = {};
  for (const part of header.split(',').map((piece) => piece.trim())) {
    const [name = '', value] = part.split('=', 2).map((piece) => piece.trim());
    if (name === 'drop' && value === undefined) plan.drop = true;
    else if (name === 'latency' && value !== undefined) plan.latencyMs = planLatency(value);
    else if (name === 'status' && value !== undefined) plan.status = planStatus('X-Dtm-Fault', part, value);
    else {
      throw new FaultHeaderError(
        `X-Dtm-Fault: "${part}" is not a fault; use latency=<duration>, status=<code> and drop, separated by commas`,
      );
    }
  }
  return plan;
}

/**
 * Reads the `code` preference of a Prefer header (RFC 7240), as Prism does; other
 * preferences (`return=minimal`, Prism's `example=`) are left alone. The code must be an
 * error status the operation declares in the contract.
 */
function parsePreferCode(header: string, declared: readonly number[]): number | undefined {
  const code = header
    .split(/[,;]/)
    .map((piece) => piece.trim().split('=', 2).map((side) => side.trim()))
    .find(([name]) => name?.toLowerCase() === 'code')?.[1];
  if (code === undefined) return undefined;
  const status = /^\d{3}$/.test(code) ? Number(code) : 0;
  const possible = declared.filter((candidate) => candidate >= 400);
  if (!possible.includes(status)) {
    const choices = possible.length > 0 ? `use one of ${possible.join(', ')}` : 'it declares none';
    throw new FaultHeaderError(`Prefer: code=${code} is not an error status this operation declares in openapi.yaml; ${choices}`);
  }
  return status;
}

/**
 * The fault plan of one request, or undefined when it asks for none. `declared` holds the
 * statuses the contract declares for the operation; undefined when the path is not an
 * operation, which answers its 404 whatever Prefer asks. X-Dtm-Fault's status wins over
 * Prefer's code when both are given.
 */
export function parseFaultPlan(
  headers: Record<string, string | string[] | undefined>,
  declared: readonly number[] | undefined,
): FaultPlan | undefined {
  const join = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(',') : value);
  const prefer = join(headers.prefer);
  const fault = join(headers['x-dtm-fault']);
  const code = prefer === undefined || declared === undefined ? undefined : parsePreferCode(prefer, declared);
  const plan: FaultPlan = { ...(code === undefined ? {} : { status: code }), ...(fault === undefined ? {} : parseFaultHeader(fault)) };
  return Object.keys(plan).length > 0 ? plan : undefined;
}

/** What to do with one request before it is handled; the rate limit is checked between the delay and the status. */
export interface FaultDecision {
  drop: boolean;
  delayMs: number;
  /** The status to answer instead of handling the request, and why. */
  error?: { status: number; detail: string };
}

/**
 * Decides the faults of one request from the global switches and its own plan. Random
 * numbers are drawn only for the global switches that are on and that the plan does not
 * override, always in the same order (drop, jitter, error, error status), so one seed and one
 * sequence of requests give the same faults again.
 */
export function decide(faults: Faults, plan: FaultPlan | undefined, random: Random): FaultDecision {
  const drop = plan?.drop ?? (faults.dropRate > 0 && random() < faults.dropRate);
  if (drop) return { drop: true, delayMs: 0 };
  const delayMs = plan?.latencyMs ?? faults.latencyMs + (faults.jitterMs > 0 ? random() * faults.jitterMs : 0);
  if (plan?.status !== undefined) {
    return { drop: false, delayMs, error: { status: plan.status, detail: `Injected fault: the request asked for ${plan.status}.` } };
  }
  if (faults.errorRate > 0 && random() < faults.errorRate) {
    const status = faults.errorStatuses[Math.floor(random() * faults.errorStatuses.length)] ?? 500;
    const detail = `Injected fault: the mock answers ${status} to ${Math.round(faults.errorRate * 100)}% of requests.`;
    return { drop: false, delayMs, error: { status, detail } };
  }
  return { drop: false, delayMs };
}
