import { afterEach, describe, expect, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { MemoryTokenStore, type TokenSet, type TokenStore, credentialPaths } from '../../src/core/auth.js';
import { AuthenticationError, ConnectionError } from '../../src/core/errors.js';
import { credentialBodyPaths } from '../schemas/spec.js';
import { type Handler, type TestServer, problem, sendJson, startServer, task } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const tokens = (access: string, refresh: string) => ({
  access_token: access,
  refresh_token: refresh,
  token_type: 'bearer',
  expires_in: 900,
});

/** A server whose protected routes accept only `Bearer <valid>`; /auth/refresh is given by the test. */
function api(valid: () => string, refresh: Handler): Handler {
  return (request, response, raw) => {
    if (request.url === '/auth/refresh') return refresh(request, response, raw);
    if (request.headers.authorization !== `Bearer ${valid()}`) {
      sendJson(response, 401, problem(401, 'Unauthorized', 'The access token has expired.'));
      return;
    }
    sendJson(response, 200, task(1));
  };
}

describe('refresh on 401', () => {
  it('refreshes once for five concurrent calls and replays each of them', async () => {
    let refreshes = 0;
    server = await startServer(
      api(
        () => 'access-2',
        async (request, response) => {
          refreshes++;
          expect(JSON.parse(request.body)).toEqual({ refresh_token: 'refresh-1' });
          await new Promise((resolve) => setTimeout(resolve, 50));
          sendJson(response, 200, tokens('access-2', 'refresh-2'));
        },
      ),
    );
    const store = new MemoryTokenStore({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {} });

    const results = await Promise.all(Array.from({ length: 5 }, () => client.tasks.get('TASK-000001')));
    expect(results.map((result) => result.id)).toEqual(Array(5).fill('TASK-000001'));
    expect(refreshes).toBe(1);
    expect(store.get()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    const replays = server.requests.filter((request) => request.headers.authorization === 'Bearer access-2');
    expect(replays).toHaveLength(5);
  });

  it('replays without refreshing when another call already renewed the token', async () => {
    server = await startServer(api(() => 'fresh', () => undefined));
    const store = new MemoryTokenStore({ accessToken: 'stale', refreshToken: 'r' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {} });
    const first = client.tasks.get('TASK-000001');
    store.set({ accessToken: 'fresh', refreshToken: 'r2' });
    await expect(first).resolves.toMatchObject({ id: 'TASK-000001' });
    expect(server.requests.some((request) => request.url === '/auth/refresh')).toBe(false);
  });

  it('clears the store and raises AuthenticationError when the refresh is refused', async () => {
    server = await startServer(
      api(
        () => 'never',
        (_, response) => {
          sendJson(response, 401, problem(401, 'Unauthorized', 'The refresh token was revoked.'));
        },
      ),
    );
    const store = new MemoryTokenStore({ accessToken: 'old', refreshToken: 'revoked' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {} });
    const error = await client.tasks.get('TASK-000001').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/refresh token was revoked/);
    expect(store.get()).toBeUndefined();
  });

  it('keeps the tokens when the refresh fails for network reasons', async () => {
    server = await startServer(
      api(
        () => 'never',
        (_, response) => {
          response.socket?.destroy();
        },
      ),
    );
    const store = new MemoryTokenStore({ accessToken: 'old', refreshToken: 'still-good' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {} });
    await expect(client.tasks.get('TASK-000001')).rejects.toBeInstanceOf(ConnectionError);
    expect(store.get()).toMatchObject({ refreshToken: 'still-good' });
  });

  it('raises the 401 as it is when there is no refresh token (DTM_TOKEN)', async () => {
    server = await startServer(api(() => 'other', () => undefined));
    const client = new DtmClient({ baseUrl: server.url, env: { DTM_TOKEN: 'from-env' } });
    await expect(client.tasks.get('TASK-000001')).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer from-env');
    expect(server.requests).toHaveLength(1);
  });
});

describe('login and logout', () => {
  it('keeps the tokens from login and revokes the refresh token on logout', async () => {
    server = await startServer((request, response) => {
      if (request.url === '/auth/login') sendJson(response, 200, { ...tokens('a1', 'r1'), refresh_expires_in: 3600 });
      else if (request.url === '/auth/logout') response.writeHead(204).end();
      else sendJson(response, 404, problem(404, 'Not found'));
    });
    const client = new DtmClient({ baseUrl: server.url, env: {} });
    const before = Date.now();
    await client.auth.login({ username: 'demo', password: 'hunter22' });
    const stored = await client.tokenStore.get();
    expect(stored).toMatchObject({ accessToken: 'a1', refreshToken: 'r1' });
    expect(stored?.expiresAt).toBeGreaterThanOrEqual(before + 900_000);
    expect(stored?.refreshExpiresAt).toBeGreaterThanOrEqual(before + 3_600_000);

    await client.auth.logout();
    const logout = server.requests.find((request) => request.url === '/auth/logout');
    expect(JSON.parse(logout?.body ?? '{}')).toEqual({ refresh_token: 'r1' });
    expect(logout?.headers.authorization).toBe('Bearer a1');
    expect(await client.tokenStore.get()).toBeUndefined();
  });

  it('clears the store when an explicit refresh is refused', async () => {
    server = await startServer((_, response) => {
      sendJson(response, 401, problem(401, 'Unauthorized', 'The refresh token was revoked.'));
    });
    const store = new MemoryTokenStore({ accessToken: 'a', refreshToken: 'revoked' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {} });
    await expect(client.auth.refresh()).rejects.toBeInstanceOf(AuthenticationError);
    expect(store.get()).toBeUndefined();
  });

  it('refuses an explicit refresh when not logged in', async () => {
    const client = new DtmClient({ baseUrl: 'http://127.0.0.1:9', env: {} });
    await expect(client.auth.refresh()).rejects.toThrow(/Not logged in.*Log in first/);
  });
});

/** A token store whose every method takes a few ms (as reading a file or a keychain does). */
class AsyncStore implements TokenStore {
  readonly #memory: MemoryTokenStore;
  constructor(tokens: TokenSet) {
    this.#memory = new MemoryTokenStore(tokens);
  }
  async get(): Promise<TokenSet | undefined> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.#memory.get();
  }
  async set(tokens: TokenSet): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#memory.set(tokens);
  }
  async clear(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#memory.clear();
  }
}

/**
 * A server with rotating refresh tokens, as the real one: each refresh token works once, and
 * a second use revokes the session (every later refresh answers 401).
 */
function rotatingServer(): { refreshes: () => number; handler: Handler } {
  let access = 'access-2';
  let refresh = 'refresh-1';
  let generation = 1;
  let revoked = false;
  let refreshes = 0;
  return {
    refreshes: () => refreshes,
    handler: api(
      () => access,
      async (request, response) => {
        refreshes++;
        const sent = (JSON.parse(request.body) as { refresh_token: string }).refresh_token;
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (revoked || sent !== refresh) {
          revoked = true;
          sendJson(response, 401, problem(401, 'Unauthorized', 'The refresh token was already used; the session is revoked.'));
          return;
        }
        generation++;
        access = `access-${generation + 1}`;
        refresh = `refresh-${generation}`;
        sendJson(response, 200, tokens(access, refresh));
      },
    ),
  };
}

describe('single-flight refresh', () => {
  it('refreshes once for 20 concurrent calls with an async token store, and every call succeeds', async () => {
    const rotating = rotatingServer();
    server = await startServer(rotating.handler);
    const store = new AsyncStore({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {} });
    const results = await Promise.all(Array.from({ length: 20 }, () => client.tasks.get('TASK-000001')));
    expect(results).toHaveLength(20);
    expect(rotating.refreshes()).toBe(1);
    expect(await store.get()).toMatchObject({ accessToken: 'access-3', refreshToken: 'refresh-2' });
  });

  it('clients sharing a store with a lock (as processes sharing a credentials file) refresh once between them', async () => {
    const rotating = rotatingServer();
    server = await startServer(rotating.handler);
    const shared = new AsyncStore({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    let held = Promise.resolve();
    let locks = 0;
    // Each client gets its own store object (as each process opens its own), over the same tokens and one lock.
    const storeOfOneProcess = (): TokenStore => ({
      get: () => shared.get(),
      set: (tokens) => shared.set(tokens),
      clear: () => shared.clear(),
      lock: async <T>(work: () => Promise<T>): Promise<T> => {
        locks++;
        const before = held;
        let release = (): void => undefined;
        held = new Promise((resolve) => (release = resolve));
        await before;
        try {
          return await work();
        } finally {
          release();
        }
      },
    });
    const clients = Array.from({ length: 4 }, () => new DtmClient({ baseUrl: server?.url, tokenStore: storeOfOneProcess(), env: {} }));
    const results = await Promise.all(clients.flatMap((client) => Array.from({ length: 5 }, () => client.tasks.get('TASK-000001'))));
    expect(results).toHaveLength(20);
    // Every client refreshed under the lock (a call whose 401 came after its client's refresh
    // takes the lock again, finds the new token and sends no refresh), and one refresh was sent.
    expect(locks).toBeGreaterThanOrEqual(4);
    expect(rotating.refreshes()).toBe(1);
  });
});

describe('a 401 from a request that carries credentials', () => {
  const refused = (): Handler => (request, response) => {
    sendJson(response, 401, problem(401, 'Unauthorized', request.url === '/auth/login' ? 'Wrong username or password.' : 'The token is not known.'));
  };

  it.each(['/auth/login', '/auth/refresh', '/auth/logout', '/auth/login/'])('is the answer of client.request POST %s: no refresh, sent once', async (path) => {
    server = await startServer(refused());
    const store = new MemoryTokenStore({ accessToken: 'a', refreshToken: 'r' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {} });
    const error = await client.request({ method: 'POST', path, body: { username: 'demo', password: 'wrong-password', refresh_token: 'x' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(server.requests.map((request) => request.url)).toEqual([path]);
    expect(store.get()).toMatchObject({ accessToken: 'a', refreshToken: 'r' });
  });

  it('is the answer of auth.logout(): no refresh, the store is cleared', async () => {
    server = await startServer(refused());
    const store = new MemoryTokenStore({ accessToken: 'a', refreshToken: 'r' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {} });
    await expect(client.auth.logout()).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.requests.map((request) => request.url)).toEqual(['/auth/logout']);
    expect(store.get()).toBeUndefined();
  });

  it('credentialPaths are exactly the operations of openapi.yaml whose body has a password or a refresh token', () => {
    expect([...credentialPaths].sort()).toEqual(credentialBodyPaths().sort());
  });
});
