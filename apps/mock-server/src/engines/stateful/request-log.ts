import type { FastifyRequest } from 'fastify';
import type { FaultPlan } from '../../faults.js';

/** One answered (or dropped) request, as `GET /__admin/requests` shows it. Never headers or bodies. */
export interface LoggedRequest {
  /** When the request arrived (RFC 3339). */
  time: string;
  method: string;
  /** The path with its query, as sent. */
  path: string;
  /** The status answered; null when the connection was dropped by a fault. */
  status: number | null;
  durationMs: number;
  requestId: string;
  /** The request's own faults (Prefer: code=, X-Dtm-Fault), when it asked for any. */
  faults?: FaultPlan;
}

export const maxLoggedRequests = 1000;

/** The last `capacity` requests in a ring buffer: recording is O(1) and never allocates a bigger array. */
export class RequestLog {
  readonly #entries: (LoggedRequest | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity = maxLoggedRequests) {
    this.#entries = new Array<LoggedRequest | undefined>(capacity);
  }

  record(entry: LoggedRequest): void {
    this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#entries.length;
    this.#size = Math.min(this.#size + 1, this.#entries.length);
  }

  /** The newest `limit` entries, newest first. */
  newest(limit: number): LoggedRequest[] {
    const count = Math.min(limit, this.#size);
    const result: LoggedRequest[] = [];
    for (let i = 1; i <= count; i++) {
      const entry = this.#entries[(this.#next - i + this.#entries.length) % this.#entries.length];
      if (entry) result.push(entry);
    }
    return result;
  }

  clear(): void {
    this.#entries.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}

/** The log entry of a request that ended (answered, or dropped with `status` null) after `durationMs`. */
export function logEntry(request: FastifyRequest, status: number | null, durationMs: number, plan: FaultPlan | undefined): LoggedRequest {
  return {
    time: new Date(Date.now() - durationMs).toISOString(),
    method: request.method,
    path: request.url,
    status,
    durationMs: Math.round(durationMs * 10) / 10,
    requestId: (request as FastifyRequest & { requestId: string }).requestId,
    ...(plan === undefined ? {} : { faults: plan }),
  };
}
