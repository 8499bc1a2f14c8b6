/** A snapshot of a breaker, to store between processes (JSON-safe). */
export interface BreakerState {
  /** `closed`: requests flow; `open`: they are refused; `half-open`: one trial request may go. */
  state: 'closed' | 'open' | 'half-open';
  /** Consecutive failures seen while closed. */
  failures: number;
  /** When the breaker last opened (epoch ms), or null. */
  openedAt: number | null;
}

/** Options of `new CircuitBreaker()` (or the client's `breaker` option); every one is optional. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker (default 5). */
  failureThreshold?: number;
  /** How long it stays open before letting one trial request through (default 30 000 ms). */
  cooldownMs?: number;
  /** A snapshot to start from, e.g. one saved by a previous process. */
  state?: BreakerState;
  /** Called after every change of state, e.g. to persist it. */
  onStateChange?: (state: BreakerState) => void;
  /** The clock, in epoch ms (default `Date.now`); for tests. */
  now?: () => number;
}

/**
 * Stops sending requests to a server that keeps failing, so callers fail fast instead of
 * waiting for timeouts. Closed: requests flow. Open: requests are refused until the
 * cooldown ends. Half-open: one trial request decides between closed and open again.
 */
export class CircuitBreaker {
  /** Consecutive failures that open the breaker. */
  readonly failureThreshold: number;
  /** How long the breaker stays open before a trial request, in ms. */
  readonly cooldownMs: number;
  #state: BreakerState;
  #trialInFlight = false;
  readonly #onStateChange: ((state: BreakerState) => void) | undefined;
  readonly #now: () => number;

  constructor(options: BreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.#state = options.state ? { ...options.state } : { state: 'closed', failures: 0, openedAt: null };
    this.#onStateChange = options.onStateChange;
    this.#now = options.now ?? Date.now;
  }

  /** The current state, with an elapsed cooldown already turned into half-open. */
  snapshot(): BreakerState {
    if (this.#state.state === 'open' && this.#now() >= this.retryAt()) {
      this.#set({ ...this.#state, state: 'half-open' });
    }
    return { ...this.#state };
  }

  /** When an open breaker lets the next trial through (epoch ms). */
  retryAt(): number {
    return (this.#state.openedAt ?? 0) + this.cooldownMs;
  }

  /** True when a request may be sent now; in half-open state only one trial at a time is. */
  allowRequest(): boolean {
    const { state } = this.snapshot();
    if (state === 'closed') return true;
    if (state === 'open' || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  /** The server answered (any status below 500). */
  recordSuccess(): void {
    this.#trialInFlight = false;
    if (this.#state.state !== 'closed' || this.#state.failures > 0) {
      this.#set({ state: 'closed', failures: 0, openedAt: null });
    }
  }

  /** The request was cancelled by its caller: it says nothing about the server. */
  cancelTrial(): void {
    this.#trialInFlight = false;
  }

  /** The server was unreachable, timed out or failed with 5xx. */
  recordFailure(): void {
    this.#trialInFlight = false;
    const failures = this.#state.failures + 1;
    if (this.#state.state === 'half-open' || failures >= this.failureThreshold) {
      this.#set({ state: 'open', failures, openedAt: this.#now() });
    } else {
      this.#set({ ...this.#state, failures });
    }
  }

  #set(state: BreakerState): void {
    this.#state = state;
    this.#onStateChange?.({ ...state });
  }
}
