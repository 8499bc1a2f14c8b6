import { afterEach, describe, expect, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { MemoryTokenStore } from '../../src/core/auth.js';
import { ConfigurationError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { type TestServer, problem, sendJson, startServer, task, taskPage } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function okServer(): Promise<TestServer> {
  server = await startServer((request, response) => {
    if (request.url.startsWith('/api/v1/tasks/TASK-000001')) sendJson(response, 200, task(1));
    else sendJson(response, 200, taskPage([task(1)]));
  });
  return server;
}

/** A logger that keeps every line. */
function memoryLogger(): Logger & { lines: [string, string, unknown][] } {
  const lines: [string, string, unknown][] = [];
  const keep = (level: string) => (message: string, details?: unknown) => lines.push([level, message, details]);
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

describe('defaultHeaders and defaultQuery', () => {
  it('go with every request; a call’s own headers and parameters win', async () => {
    const { url, requests } = await okServer();
    const client = new DtmClient({ baseUrl: url, token: 't', env: {}, defaultHeaders: { 'X-Team': 'core', 'X-Trace': 'default' }, defaultQuery: { tenant: 'acme', limit: '5' } });
    await client.tasks.list({ limit: 2 }, { headers: { 'x-trace': 'mine' } });
    await client.tasks.get('TASK-000001');
    expect(requests[0]?.url).toBe('/api/v1/tasks?tenant=acme&limit=2');
    expect(requests[0]?.headers).toMatchObject({ 'x-team': 'core', 'x-trace': 'mine', authorization: 'Bearer t' });
    expect(requests[1]?.url).toBe('/api/v1/tasks/TASK-000001?tenant=acme&limit=5');
    expect(requests[1]?.headers['x-trace']).toBe('default');
  });
});

describe('maxRetries', () => {
  it('is the common name of retries, for the client and per call; the two must agree', async () => {
    let calls = 0;
    server = await startServer((_, response) => {
      calls++;
      sendJson(response, 503, problem(503, 'Unavailable'), { 'retry-after': '0' });
    });
    const client = new DtmClient({ baseUrl: server.url, token: 't', env: {}, maxRetries: 1, breaker: false });
    await expect(client.tasks.list()).rejects.toThrow(/503/);
    expect(calls).toBe(2);
    await expect(client.tasks.list({}, { maxRetries: 3 })).rejects.toThrow(/503/);
    expect(calls).toBe(6);
    expect(() => new DtmClient({ env: {}, maxRetries: 1, retries: 2 })).toThrow(ConfigurationError);
    expect(() => new DtmClient({ env: {}, maxRetries: 2, retries: { limit: 2, baseDelayMs: 1 } })).not.toThrow();
  });
});

describe('withOptions', () => {
  it('derives a client with other options that shares the tokens, the single refresh and the breaker', async () => {
    let refreshes = 0;
    server = await startServer((request, response) => {
      if (request.url === '/auth/refresh') {
        refreshes++;
        sendJson(response, 200, { access_token: 'new', refresh_token: 'r2', token_type: 'bearer', expires_in: 900 });
      } else if (request.headers.authorization !== 'Bearer new') {
        sendJson(response, 401, problem(401, 'Unauthorized'));
      } else {
        sendJson(response, 200, task(1));
      }
    });
    const store = new MemoryTokenStore({ accessToken: 'old', refreshToken: 'r1' });
    const client = new DtmClient({ baseUrl: server.url, tokenStore: store, env: {}, defaultHeaders: { 'x-app': 'one' } });
    const derived = client.withOptions({ timeoutMs: 60_000, defaultHeaders: { 'x-app': 'two' } });
    expect(derived.tokenStore).toBe(client.tokenStore);
    expect(derived.breaker).toBe(client.breaker);
    expect(derived.baseUrl).toBe(client.baseUrl);
    await Promise.all([client.tasks.get('TASK-000001'), derived.tasks.get('TASK-000001'), derived.tasks.get('TASK-000001')]);
    expect(refreshes).toBe(1);
    const apps = server.requests.filter((request) => request.headers.authorization === 'Bearer new').map((request) => request.headers['x-app']);
    expect(apps.sort()).toEqual(['one', 'two', 'two']);
  });
});

describe('logger and logLevel', () => {
  it('debug logs each attempt and answer, with the token redacted; info logs retries; the default (warn) logs neither', async () => {
    let first = true;
    server = await startServer((_, response) => {
      if (first) {
        first = false;
        sendJson(response, 503, problem(503, 'Unavailable'), { 'retry-after': '0' });
      } else sendJson(response, 200, taskPage([]));
    });
    const logger = memoryLogger();
    await new DtmClient({ baseUrl: server.url, token: 'secret-token', env: {}, logger, logLevel: 'debug' }).tasks.list();
    const text = JSON.stringify(logger.lines);
    expect(text).not.toContain('secret-token');
    expect(logger.lines.map(([level, message]) => `${level} ${message.replace(/\d+ ms/g, 'N ms').replace(/127\.0\.0\.1:\d+/, 'HOST')}`)).toEqual([
      'debug [dtm] → GET http://HOST/api/v1/tasks',
      'debug [dtm] ← 503 GET http://HOST/api/v1/tasks in N ms',
      expect.stringMatching(/^info \[dtm\] listTasks: retry 1 of 2 in N ms after: listTasks failed with 503 Unavailable \(request req_\w+\)/) as string,
      'debug [dtm] → GET http://HOST/api/v1/tasks',
      'debug [dtm] ← 200 GET http://HOST/api/v1/tasks in N ms',
    ]);
    expect(logger.lines[0]?.[2]).toMatchObject({ headers: { authorization: 'Bearer [REDACTED]' } });

    first = true;
    const quiet = memoryLogger();
    await new DtmClient({ baseUrl: server.url, token: 't', env: {}, logger: quiet }).tasks.list();
    expect(quiet.lines).toEqual([]);
  });

  it('DTM_LOG sets the level; a hook that throws is a warning; a bad DTM_LOG is a ConfigurationError', async () => {
    const { url } = await okServer();
    const logger = memoryLogger();
    const client = new DtmClient({ baseUrl: url, token: 't', env: { DTM_LOG: 'info' }, logger, hooks: { onMetrics: () => { throw new Error('observer broke'); } } });
    await client.tasks.list();
    expect(logger.lines).toEqual([['warn', '[dtm] the onMetrics hook threw, and was ignored: observer broke', undefined]]);
    expect(() => new DtmClient({ env: { DTM_LOG: 'loud' } })).toThrow(/DTM_LOG must be one of debug, info, warn, error, off, got "loud"/);
    const off = memoryLogger();
    await new DtmClient({ baseUrl: url, token: 't', env: {}, logger: off, logLevel: 'off', hooks: { onMetrics: () => { throw new Error('x'); } } }).tasks.list();
    expect(off.lines).toEqual([]);
  });
});
