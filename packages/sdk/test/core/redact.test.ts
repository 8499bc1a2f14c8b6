import { afterEach, describe, expect, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { redactBody, redactHeaders } from '../../src/core/redact.js';
import { type TestServer, problem, sendJson, startServer } from '../support/server.js';

describe('redaction', () => {
  it.each([
    ['bearer token keeps its scheme', { Authorization: 'Bearer abc.def' }, { authorization: 'Bearer [REDACTED]' }],
    ['cookies', { Cookie: 'session=1' }, { cookie: '[REDACTED]' }],
    ['other headers untouched', { 'X-Request-Id': 'req_1' }, { 'x-request-id': 'req_1' }],
  ])('headers: %s', (_, given, want) => {
    expect(redactHeaders(given)).toEqual(want);
  });

  it('replaces secret fields at any depth', () => {
    expect(redactBody({ username: 'demo', password: 'p', nested: [{ refresh_token: 'r', keep: 1 }] })).toEqual({
      username: 'demo',
      password: '[REDACTED]',
      nested: [{ refresh_token: '[REDACTED]', keep: 1 }],
    });
  });
});

describe('secrets never reach hooks or errors', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('over a login, a refresh and a failing call', async () => {
    const password = 'pa55-word-XYZ';
    server = await startServer((request, response) => {
      if (request.url === '/auth/login') {
        sendJson(response, 200, { access_token: 'ACCESS-SECRET-1', refresh_token: 'REFRESH-SECRET-1', token_type: 'bearer', expires_in: 1 });
      } else if (request.url === '/auth/refresh') {
        sendJson(response, 200, { access_token: 'ACCESS-SECRET-2', refresh_token: 'REFRESH-SECRET-2', token_type: 'bearer', expires_in: 900 });
      } else if (request.headers.authorization === 'Bearer ACCESS-SECRET-1') {
        sendJson(response, 401, problem(401, 'Unauthorized', 'expired'));
      } else {
        sendJson(response, 500, problem(500, 'Internal server error'));
      }
    });
    const seen: unknown[] = [];
    const record = (event: unknown) => seen.push(event);
    const client = new DtmClient({
      baseUrl: server.url,
      env: {},
      retries: 0,
      hooks: { onRequest: record, onResponse: record, onError: record, onMetrics: record },
    });
    await client.auth.login({ username: 'demo', password });
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    await client.auth.refresh();

    // Errors inside events are serialised with their message, which JSON.stringify would drop.
    const text = JSON.stringify(seen, (_, value: unknown) =>
      value instanceof Error ? { ...Object.fromEntries(Object.entries(value)), message: value.message } : value,
    );
    const everything = `${text}\n${String(error)}\n${JSON.stringify(error)}\n${(error as Error).stack ?? ''}`;
    for (const secret of [password, 'ACCESS-SECRET-1', 'REFRESH-SECRET-1', 'ACCESS-SECRET-2', 'REFRESH-SECRET-2']) {
      expect(everything).not.toContain(secret);
    }
    expect(text).toContain('[REDACTED]');
    // The server did receive them: redaction is for observers only.
    expect(server.requests[0]?.body).toContain(password);
  });
});
