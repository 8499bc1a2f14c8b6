import { afterEach, describe, expect, it, vi } from 'vitest';
import { DtmClient, type DtmClientOptions } from '../../src/client.js';
import type { CallMetrics, ErrorEvent } from '../../src/core/hooks.js';
import {
  ConnectionError,
  InsecureTransportError,
  RateLimitError,
  RequestAbortedError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../src/core/errors.js';
import { type Handler, type TestServer, closedPort, problem, sendJson, startServer, task, taskPage } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, options: DtmClientOptions = {}) {
  server = await startServer(handler);
  const errors: ErrorEvent[] = [];
  const metrics: CallMetrics[] = [];
  const client = new DtmClient({
    baseUrl: server.url,
    token: 'test-token',
    breaker: false,
    env: {},
    hooks: { onError: (event) => errors.push(event), onMetrics: (event) => metrics.push(event) },
    ...options,
  });
  return { client, server, errors, metrics };
}

/** Answers with each handler in turn, repeating the last one. */
function sequence(...handlers: Handler[]): Handler {
  let call = 0;
  return (request, response, raw) => handlers[Math.min(call++, handlers.length - 1)]?.(request, response, raw);
}

const ok: Handler = (_, response) => {
  sendJson(response, 200, taskPage([task(1)]));
};
const unavailable: Handler = (_, response) => {
  sendJson(response, 503, problem(503, 'Service unavailable'));
};

describe('retries', () => {
  it('retries an idempotent GET on 503 with exponential backoff and full jitter', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { client, errors, metrics } = await clientFor(sequence(unavailable, unavailable, ok), {
      retries: { limit: 2, baseDelayMs: 20 },
    });
    const page = await client.tasks.list();
    expect(page.items).toHaveLength(1);
    // Full jitter: random * min(max, base * 2^retry) = 0.5 * 20, then 0.5 * 40.
    expect(errors.map((event) => event.delayMs)).toEqual([10, 20]);
    expect(metrics).toMatchObject([{ operation: 'listTasks', attempts: 3, status: 200, ok: true }]);
  });

  it('gives up after the retry limit with the last error', async () => {
    const { client, server, metrics } = await clientFor(unavailable, { retries: { limit: 2, baseDelayMs: 1 } });
    await expect(client.tasks.list()).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(3);
    expect(metrics[0]).toMatchObject({ attempts: 3, status: 503, ok: false });
  });

  it('waits exactly the Retry-After seconds of a 429 (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const tooMany: Handler = (_, response) => {
      sendJson(response, 429, problem(429, 'Too many requests'), { 'retry-after': '30' });
    };
    const { client, errors, server } = await clientFor(sequence(tooMany, ok));
    const call = client.tasks.list();
    await vi.waitFor(() => {
      expect(errors).toHaveLength(1);
    });
    expect(errors[0]).toMatchObject({ delayMs: 30_000, willRetry: true });
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(call).resolves.toMatchObject({ total: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    const tooMany: Handler = (_, response) => {
      sendJson(response, 503, problem(503, 'Down for maintenance'), { 'retry-after': inTwoSeconds });
    };
    const { client, errors } = await clientFor(sequence(tooMany, ok), { retries: { limit: 1, maxRetryAfterMs: 100 } });
    // The date is further away than maxRetryAfterMs allows: no retry, the error surfaces.
    await expect(client.tasks.list()).rejects.toBeInstanceOf(ServerError);
    expect(errors[0]).toMatchObject({ willRetry: false });
  });

  it('raises RateLimitError with the wait when Retry-After is longer than allowed', async () => {
    const { client, server } = await clientFor((_, response) => {
      sendJson(response, 429, problem(429, 'Too many requests'), { 'retry-after': '120' });
    });
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a POST without an Idempotency-Key (login)', async () => {
    const { client, server } = await clientFor(unavailable, { retries: { limit: 3, baseDelayMs: 1 } });
    await expect(client.auth.login({ username: 'demo', password: 'secret-pass' })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('does not retry a PATCH', async () => {
    const { client, server } = await clientFor(unavailable, { retries: { limit: 3, baseDelayMs: 1 } });
    await expect(client.tasks.update('TASK-000001', { title: 'x' })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a create with the same Idempotency-Key on every attempt', async () => {
    const created: Handler = (_, response) => {
      sendJson(response, 201, task(7));
    };
    const { client, server } = await clientFor(sequence(unavailable, created), { retries: { limit: 1, baseDelayMs: 1 } });
    await expect(client.tasks.create({ title: 'Task 7' })).resolves.toMatchObject({ id: 'TASK-000007' });
    const keys = server.requests.map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('uses the caller\'s Idempotency-Key', async () => {
    const { client, server } = await clientFor((_, response) => {
      sendJson(response, 201, task(8));
    });
    await client.tasks.create({ title: 'Task 8' }, { idempotencyKey: 'outbox-entry-42' });
    expect(server.requests[0]?.headers['idempotency-key']).toBe('outbox-entry-42');
  });

  it('does not retry 4xx errors other than 408 and 429', async () => {
    const { client, server } = await clientFor((_, response) => {
      sendJson(response, 422, { ...problem(422, 'Validation failed'), errors: [{ field: 'limit', message: 'too big' }] });
    });
    const error = await client.tasks.list({ limit: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual([{ field: 'limit', message: 'too big' }]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('connection failures', () => {
  it('reports a refused connection as ConnectionError with its code, fast', async () => {
    const client = new DtmClient({ baseUrl: await closedPort(), token: 't', retries: 0, breaker: false, env: {} });
    const started = performance.now();
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('ECONNREFUSED');
    expect((error as Error).message).toMatch(/cannot reach the DTM API at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('retries a GET whose connection was reset', async () => {
    const reset: Handler = (_, response) => {
      response.socket?.destroy();
    };
    const { client, server } = await clientFor(sequence(reset, ok), { retries: { limit: 1, baseDelayMs: 1 } });
    await expect(client.tasks.list()).resolves.toMatchObject({ total: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('treats a body cut off mid-way as a connection failure', async () => {
    const truncated: Handler = (_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"items":[{"id":"TASK-0');
      setTimeout(() => response.socket?.destroy(), 10);
    };
    const { client } = await clientFor(truncated, { retries: 0 });
    await expect(client.tasks.list()).rejects.toBeInstanceOf(ConnectionError);
  });

  it('times out an attempt that gets no answer', async () => {
    const { client } = await clientFor(() => undefined, { timeoutMs: 100, retries: 0 });
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(100);
  });

  it('aborts through the caller\'s signal, also while waiting to retry', async () => {
    const { client } = await clientFor(() => undefined);
    const controller = new AbortController();
    const call = client.tasks.list({}, { signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 20);
    await expect(call).rejects.toBeInstanceOf(RequestAbortedError);

    await server?.close();
    // Full jitter picks the wait at random in [0, 60 s): pinned to 30 s, the retry cannot come before the abort.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const waiting = await clientFor(unavailable, { retries: { limit: 1, baseDelayMs: 60_000 } });
    const second = new AbortController();
    const retrying = waiting.client.tasks.list({}, { signal: second.signal });
    await vi.waitFor(() => {
      expect(waiting.errors).toHaveLength(1);
    });
    second.abort();
    await expect(retrying).rejects.toBeInstanceOf(RequestAbortedError);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { client, server } = await clientFor(ok);
    await expect(client.tasks.list({}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RequestAbortedError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('retryUnreachable: false (the caller has a fallback)', () => {
  /** A client for a port nothing listens on, recording its hooks. */
  async function refusedClient(options: DtmClientOptions = {}) {
    const errors: ErrorEvent[] = [];
    const metrics: CallMetrics[] = [];
    const client = new DtmClient({
      baseUrl: await closedPort(),
      token: 'test-token',
      breaker: false,
      env: {},
      hooks: { onError: (event) => errors.push(event), onMetrics: (event) => metrics.push(event) },
      ...options,
    });
    return { client, errors, metrics };
  }

  it('raises a refused connection after exactly one attempt', async () => {
    const { client, errors, metrics } = await refusedClient({ retries: { retryUnreachable: false } });
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('ECONNREFUSED');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ attempt: 1, willRetry: false, delayMs: undefined });
    expect(metrics).toMatchObject([{ operation: 'listTasks', attempts: 1, status: null, ok: false }]);
  });

  it('raises a timeout after exactly one attempt', async () => {
    const { client, server, metrics } = await clientFor(() => undefined, { timeoutMs: 100, retries: { retryUnreachable: false } });
    await expect(client.tasks.list()).rejects.toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(1);
    expect(metrics[0]).toMatchObject({ attempts: 1, ok: false });
  });

  it('still retries a 503 with backoff, up to the default limit', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { client, server, errors, metrics } = await clientFor(unavailable, { retries: { retryUnreachable: false } });
    await expect(client.tasks.list()).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(3);
    expect(errors.map((event) => event.willRetry)).toEqual([true, true, false]);
    expect(metrics[0]).toMatchObject({ attempts: 3, status: 503, ok: false });

    await server.close();
    const recovering = await clientFor(sequence(unavailable, ok), { retries: { retryUnreachable: false } });
    await expect(recovering.client.tasks.list()).resolves.toMatchObject({ total: 1 });
    expect(recovering.server.requests).toHaveLength(2);
  });

  it('is true by default: a refused connection is retried up to the limit', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { client, errors, metrics } = await refusedClient();
    await expect(client.tasks.list()).rejects.toBeInstanceOf(ConnectionError);
    expect(errors.map((event) => [event.attempt, event.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(metrics[0]).toMatchObject({ attempts: 3, ok: false });
  });
});

describe('responses that break the contract', () => {
  it('names the operation and the first bad path', async () => {
    const { client } = await clientFor((_, response) => {
      sendJson(response, 200, { items: [task(1, { status: 'done' })], total: 1, limit: 50, offset: 0 });
    });
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ path: 'items.0.status', status: 200 });
    expect((error as Error).message).toMatch(/^listTasks: the server's 200 response is not valid at items\.0\.status/);
    // What is wrong, in words: the allowed values.
    expect(error).toMatchObject({ reason: 'Invalid option: expected one of "pending"|"in_progress"|"blocked"|"completed"|"cancelled"' });
  });

  it('says which type it expected and which it got', async () => {
    const { client } = await clientFor((_, response) => {
      sendJson(response, 200, { items: [], total: '1', limit: 50, offset: 0 });
    });
    await expect(client.tasks.list()).rejects.toMatchObject({ path: 'total', reason: 'Invalid input: expected number, received string' });
  });

  it('never lets a misspelled field through as undefined', async () => {
    const { client } = await clientFor((_, response) => {
      sendJson(response, 200, { items: [], totl: 3, limit: 50, offset: 0 });
    });
    await expect(client.tasks.list()).rejects.toMatchObject({ name: 'ResponseValidationError', path: 'total' });
  });

  it('passes the body through untouched when validation is off', async () => {
    const { client } = await clientFor(
      (_, response) => {
        sendJson(response, 200, { items: [], totl: 3 });
      },
      { validate: false },
    );
    await expect(client.tasks.list()).resolves.toEqual({ items: [], totl: 3 });
  });

  it('rejects truncated JSON', async () => {
    const { client } = await clientFor((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"items":[{"id":');
    });
    await expect(client.tasks.list()).rejects.toThrow(/the body is not valid JSON/);
  });

  it('rejects a body of the wrong content type', async () => {
    const { client } = await clientFor((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>login page</html>');
    });
    await expect(client.tasks.list()).rejects.toThrow(/expected JSON, got "text\/html"/);
  });

  it('keeps fields a newer server adds', async () => {
    const { client } = await clientFor((_, response) => {
      sendJson(response, 200, task(3, { story_points: 5 }));
    });
    await expect(client.tasks.get('TASK-000003')).resolves.toMatchObject({ story_points: 5 });
  });

  it('resolves a 204 with undefined', async () => {
    const { client, server } = await clientFor((_, response) => {
      response.writeHead(204).end();
    });
    await expect(client.tasks.delete('TASK-000003', { ifMatch: 4 })).resolves.toBeUndefined();
    expect(server.requests[0]).toMatchObject({ method: 'DELETE', url: '/api/v1/tasks/TASK-000003' });
    expect(server.requests[0]?.headers['if-match']).toBe('"4"');
  });

  it('describes an error that is not problem+json', async () => {
    const { client } = await clientFor(
      (_, response) => {
        response.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
        response.end('<html><body>nginx</body></html>');
      },
      { retries: 0 },
    );
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 502, problem: { title: 'Bad Gateway', status: 502 } });
  });
});

describe('requests', () => {
  it('sends one X-Request-Id per call, the same on every attempt, and reports it in errors', async () => {
    const { client, server } = await clientFor(unavailable, { retries: { limit: 1, baseDelayMs: 1 } });
    const error = (await client.tasks.list().catch((caught: unknown) => caught)) as ServerError;
    const ids = server.requests.map((request) => request.headers['x-request-id']);
    expect(ids[0]).toMatch(/^req_[0-9a-f]{32}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(error.requestId).toBe(ids[0]);
    expect(error.message).toContain(ids[0]);
  });

  it('uses the caller\'s X-Request-Id, whatever its case', async () => {
    const { client, server } = await clientFor((_, response) => {
      sendJson(response, 404, problem(404, 'Not found'));
    });
    const error = await client.tasks.get('TASK-000404', { headers: { 'X-Request-Id': 'req_mine' } }).catch((caught: unknown) => caught);
    expect(server.requests[0]?.headers['x-request-id']).toBe('req_mine');
    expect(error).toMatchObject({ requestId: 'req_mine' });
  });

  it('asks for the export format it wants', async () => {
    const { client, server } = await clientFor((request, response) => {
      response.writeHead(200, { 'content-type': 'text/csv' });
      response.end('id\n');
    });
    await (await client.tasks.exportCsv()).cancel();
    expect(server.requests[0]?.headers.accept).toBe('text/csv, application/problem+json');
  });

  it('prefers the request id the server reports', async () => {
    const { client } = await clientFor((_, response) => {
      sendJson(response, 404, { ...problem(404, 'Not found'), request_id: 'srv-123' });
    });
    await expect(client.tasks.get('TASK-000404')).rejects.toMatchObject({ name: 'NotFoundError', requestId: 'srv-123' });
  });

  it('encodes filters as the contract declares them', async () => {
    const { client, server } = await clientFor(ok);
    await client.tasks.list({ status: ['pending', 'blocked'], q: 'a b&c', limit: 10, updated_since: '2026-11-01T00:00:00Z' });
    expect(server.requests[0]?.url).toBe(
      '/api/v1/tasks?status=pending%2Cblocked&q=a%20b%26c&limit=10&updated_since=2026-11-01T00%3A00%3A00Z',
    );
  });

  it('refuses to send a token over plain http to another host, without touching the network', async () => {
    const fetchSpy = vi.fn<typeof fetch>();
    const client = new DtmClient({ baseUrl: 'http://dtm.example.test', token: 't', env: {}, fetch: fetchSpy });
    await expect(client.tasks.list()).rejects.toBeInstanceOf(InsecureTransportError);
    await expect(client.auth.login({ username: 'u', password: 'p' })).rejects.toBeInstanceOf(InsecureTransportError);
    expect(fetchSpy).not.toHaveBeenCalled();
    // Health carries no credentials.
    fetchSpy.mockResolvedValue(Response.json({ status: 'ok', version: '1', database: { status: 'up' }, uptime_seconds: 1 }));
    await expect(client.health()).resolves.toMatchObject({ status: 'ok' });
  });

  it('sends credentials over plain http when the caller opts in', async () => {
    const fetchSpy = vi.fn<typeof fetch>().mockResolvedValue(Response.json(taskPage([])));
    const client = new DtmClient({ baseUrl: 'http://dtm.example.test', token: 't', env: {}, fetch: fetchSpy, allowInsecureHttp: true });
    await expect(client.tasks.list()).resolves.toMatchObject({ total: 0 });
  });

  it('ignores hooks that throw', async () => {
    const { client } = await clientFor(ok, {
      hooks: {
        onRequest: () => {
          throw new Error('broken logger');
        },
        onMetrics: () => {
          throw new Error('broken metrics');
        },
      },
    });
    await expect(client.tasks.list()).resolves.toMatchObject({ total: 1 });
  });
});
