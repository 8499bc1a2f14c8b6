import type { Readable } from 'node:stream';
import type { Auth } from '../auth.js';
import type { ChangeFeed } from '../changes.js';
import { type Store, etagOf } from '../store.js';
import type { OperationId, User } from '../types.js';

/** What a handler gets: the checked request and the server's state. */
export interface Context {
  readonly operationId: OperationId;
  /** The caller, for operations that need a bearer token. */
  readonly user: User | undefined;
  readonly params: Record<string, string>;
  readonly query: Record<string, unknown>;
  /** Header parameters of the contract, by lower-case name. */
  readonly headers: Record<string, string | undefined>;
  readonly body: unknown;
  readonly store: Store;
  readonly changes: ChangeFeed;
  readonly auth: Auth;
  readonly startedAt: number;
  /** The request's id, for problems embedded in a 200 (bulk results). */
  readonly requestId: string;
  /** Aborts when the client goes away before the answer (ends long-polls early). */
  readonly signal: AbortSignal;
}

/** What a handler answers: a JSON body (as a value or as text), no body (204), or a stream. */
export interface Reply {
  status: number;
  body?: unknown;
  /** The body as JSON text already (cached task texts), instead of `body`. */
  json?: string | Buffer;
  /** Sets `ETag` (single resources). */
  etag?: string;
  /** Sets `Location` (201). */
  location?: string;
  stream?: { contentType: string; body: Readable };
}

export type Handler = (context: Context) => Reply | Promise<Reply>;

/** The caller's username; only called by handlers of secured operations. */
export function actor(context: Context): string {
  if (!context.user) throw new Error(`${context.operationId} ran without an authenticated user`);
  return context.user.username;
}

/**
 * True when `If-None-Match` names the resource's current ETag or is `*`: the client's copy is
 * current (304). The comparison is weak, as RFC 9110 §13.1.2 says for If-None-Match.
 */
export function notModified(ifNoneMatch: string | undefined, resource: { version: number }): boolean {
  if (ifNoneMatch === undefined) return false;
  const current = etagOf(resource);
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === current;
  });
}

/** limit/offset of a list operation (defaults already filled in from the contract). */
export function windowOf(context: Context): { limit: number; offset: number } {
  return { limit: context.query.limit as number, offset: context.query.offset as number };
}
