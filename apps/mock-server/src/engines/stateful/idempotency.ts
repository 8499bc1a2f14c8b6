import { createHash } from 'node:crypto';
import { HttpProblem } from './problems.js';

/** A JSON answer as it was first sent, to be sent again for a repeated key. */
export interface StoredReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

interface Entry {
  fingerprint: string;
  reply: StoredReply;
  expiresAt: number;
}

/**
 * `Idempotency-Key` support: the first answer to a key (per user and operation) is kept
 * for a day and replayed for every repeat; the same key with a different request (body or
 * target) is a 422, as the contract's IdempotencyKey says.
 */
export class IdempotencyCache {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;
  readonly #ttlMs: number;

  constructor(capacity = 10_000, ttlMs = 86_400_000) {
    this.#capacity = capacity;
    this.#ttlMs = ttlMs;
  }

  static fingerprint(method: string, url: string, body: unknown): string {
    return createHash('sha256')
      .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
      .digest('base64url');
  }

  /** The stored answer for this key, if any; throws 409 when the key came with another request. */
  lookup(scope: string, key: string, fingerprint: string, nowMs: number): StoredReply | undefined {
    const id = `${scope}\u0000${key}`;
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.#entries.delete(id);
      return undefined;
    }
    if (entry.fingerprint !== fingerprint) {
      throw new HttpProblem(422, `Idempotency-Key ${key} was already used for a different request. Use a new key for a new request.`, {
        errors: [{ field: 'Idempotency-Key', message: 'was already used for a different request' }],
      });
    }
    return entry.reply;
  }

  remember(scope: string, key: string, fingerprint: string, reply: StoredReply, nowMs: number): void {
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(`${scope}\u0000${key}`, { fingerprint, reply, expiresAt: nowMs + this.#ttlMs });
  }
}
