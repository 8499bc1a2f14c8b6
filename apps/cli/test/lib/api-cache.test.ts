import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheRequest, ResponseCache, cacheKey, identityOf } from '../../src/lib/api-cache.js';

const jwtFor = (claims: object): string =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;
const request: CacheRequest = { apiUrl: 'http://127.0.0.1:8000', path: '/api/v1/tasks', query: { limit: 5 }, headers: {}, accessToken: undefined };

describe('identityOf', () => {
  it('is the subject of a JWT, whatever the rest of the token (a refreshed token is the same user)', () => {
    expect(identityOf(jwtFor({ sub: 'USR-001', exp: 1 }))).toBe(identityOf(jwtFor({ sub: 'USR-001', exp: 2 })));
    expect(identityOf(jwtFor({ sub: 'USR-001' }))).not.toBe(identityOf(jwtFor({ sub: 'USR-002' })));
  });

  it('is a hash of a token that is not a JWT, and never holds the token', () => {
    expect(identityOf('opaque-secret')).toMatch(/^token:[0-9a-f]{64}$/);
    expect(identityOf(undefined)).toBe('anonymous');
  });
});

describe('cacheKey', () => {
  it.each([
    { name: 'another API URL', change: { apiUrl: 'http://127.0.0.1:9000' } },
    { name: 'another path', change: { path: '/api/v1/projects' } },
    { name: 'another query', change: { query: { limit: 6 } } },
    { name: 'another header', change: { headers: { Accept: 'text/csv' } } },
    { name: 'another user', change: { accessToken: jwtFor({ sub: 'USR-002' }) } },
  ])('changes with $name', ({ change }) => {
    expect(cacheKey({ ...request, ...change })).not.toBe(cacheKey(request));
  });

  it('does not depend on the order of the query or the case of header names', () => {
    expect(cacheKey({ ...request, query: { a: 1, b: [2, 3] }, headers: { 'X-A': '1' } })).toBe(
      cacheKey({ ...request, query: { b: [2, 3], a: 1 }, headers: { 'x-a': '1' } }),
    );
  });
});

describe('ResponseCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dtm-api-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves an answer while it is younger than the duration, in a 0600 file without the token', async () => {
    const cache = new ResponseCache(dir);
    const token = jwtFor({ sub: 'USR-001' });
    const key = cacheKey({ ...request, accessToken: token });
    const answer = { status: 200, headers: [['etag', '"1"']] as [string, string][], data: { items: [] } };
    cache.write(key, answer, 1_000);
    expect(cache.read(key, 60_000, 1_000 + 59_999)).toEqual({ answer, ageMs: 59_999 });
    expect(cache.read(key, 60_000, 1_000 + 60_000)).toBeUndefined();
    // A clock that went back does not make an entry fresh for ever.
    expect(cache.read(key, 60_000, 999)).toBeUndefined();
    const [file] = await readdir(join(dir, 'api'));
    const path = join(dir, 'api', file ?? '');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).not.toContain(token.split('.')[1]);
  });

  it('keeps 2xx answers only, and misses on a damaged file', () => {
    const cache = new ResponseCache(dir);
    cache.write('k404', { status: 404, headers: [], data: {} }, 0);
    expect(cache.read('k404', 60_000, 1)).toBeUndefined();
    expect(cache.read('never-written', 60_000, 1)).toBeUndefined();
  });
});
