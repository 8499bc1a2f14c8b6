// `dtm api --cache 5m`: 2xx answers to GET requests kept on disk and served while they are
// younger than the duration, without calling the API. One file per request and user, named
// by a hash of the API URL, the path, the query, the extra headers and the user (the
// token's subject, else a hash of the token): no user is served another's answer, and no
// token is ever written.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiAnswer } from './api-answer.js';
import { writeFileAtomically } from './files.js';

export interface CacheRequest {
  apiUrl: string;
  path: string;
  /** As sent: arrays go comma-separated. */
  query: Record<string, string | number | boolean | readonly (string | number)[]>;
  /** The extra request headers (-H). */
  headers: Record<string, string>;
  /** The access token the request is sent with, when there is one: only its subject or hash reaches the key. */
  accessToken: string | undefined;
}

interface Entry extends ApiAnswer {
  storedAt: number;
}

/** Who a token belongs to: the `sub` claim of a JWT, else a hash of the token; `anonymous` without one. */
export function identityOf(accessToken: string | undefined): string {
  if (accessToken === undefined || accessToken === '') return 'anonymous';
  const payload = accessToken.split('.')[1];
  if (payload !== undefined) {
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; iss?: unknown };
      const issuer = typeof claims.iss === 'string' ? claims.iss : '';
      if (typeof claims.sub === 'string' && claims.sub !== '') return `sub:${issuer}:${claims.sub}`;
    } catch {
      // not a JWT: hashed below
    }
  }
  return `token:${sha256(accessToken)}`;
}

/** The file name of a request's entry. */
export function cacheKey(request: CacheRequest): string {
  const query = Object.entries(request.query)
    .map(([name, value]): [string, string] => [name, Array.isArray(value) ? value.join(',') : String(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const headers = Object.entries(request.headers)
    .map(([name, value]): [string, string] => [name.toLowerCase(), value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const material = JSON.stringify([request.apiUrl, request.path, query, headers, identityOf(request.accessToken)]);
  return sha256(material);
}

export class ResponseCache {
  readonly #dir: string;

  constructor(cacheDir: string) {
    this.#dir = join(cacheDir, 'api');
  }

  /** The answer kept for the request when it is younger than `maxAgeMs`, with its age. */
  read(key: string, maxAgeMs: number, now = Date.now()): { answer: ApiAnswer; ageMs: number } | undefined {
    let entry: Entry;
    try {
      entry = JSON.parse(readFileSync(this.#file(key), 'utf8')) as Entry;
    } catch {
      return undefined;
    }
    const ageMs = now - entry.storedAt;
    if (!(ageMs >= 0 && ageMs < maxAgeMs) || !Array.isArray(entry.headers)) return undefined;
    return { answer: { status: entry.status, headers: entry.headers, data: entry.data }, ageMs };
  }

  /** Keeps a 2xx answer (others are not kept). */
  write(key: string, answer: ApiAnswer, now = Date.now()): void {
    if (answer.status < 200 || answer.status > 299) return;
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const entry: Entry = { storedAt: now, ...answer };
    writeFileAtomically(this.#file(key), JSON.stringify(entry), 0o600);
  }

  #file(key: string): string {
    return join(this.#dir, `${key}.json`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
