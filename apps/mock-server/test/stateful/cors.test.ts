// CORS: a browser app on another origin (a Vite dev server) can call the mock.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningMockServer, apiAs, start } from './harness.js';

const devOrigin = 'http://localhost:5173';
const servers: RunningMockServer[] = [];

async function startServer(...args: Parameters<typeof start>): Promise<RunningMockServer> {
  const server = await start(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

function preflight(server: RunningMockServer, path: string, origin = devOrigin, method = 'PATCH'): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, if-match' },
  });
}

const listOf = (header: string | null): string[] => (header ?? '').split(',').map((name) => name.trim().toLowerCase());

describe('CORS, by default', () => {
  it('answers a preflight from a dev server with 204 and the methods and headers the contract uses', async () => {
    const server = await startServer();
    const answer = await preflight(server, '/api/v1/tasks/TASK-000001');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(listOf(answer.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post', 'patch', 'delete']));
    expect(listOf(answer.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'x-request-id', 'prefer', 'x-dtm-fault']),
    );
    expect(await answer.text()).toBe('');
  });

  it('lets the browser read ETag, X-Request-Id, Retry-After and Idempotent-Replayed', async () => {
    const server = await startServer();
    const api = await apiAs(server);
    const answer = await api.get('/api/v1/tasks', { headers: { origin: devOrigin } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(listOf(answer.headers.get('access-control-expose-headers'))).toEqual(
      expect.arrayContaining(['etag', 'x-request-id', 'retry-after', 'idempotent-replayed']),
    );
  });

  it('answers preflights even when every request fails by fault', async () => {
    const server = await startServer({ faults: { errorRate: 1, rateLimit: 1 } });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await preflight(server, '/api/v1/tasks')).status).toBe(204);
    }
    expect((await fetch(`${server.url}/health`)).status).toBeGreaterThanOrEqual(429);
  });
});

describe('corsOrigin', () => {
  it('allows only the origins it names', async () => {
    const server = await startServer({ corsOrigin: [devOrigin, 'https://app.example.com'] });
    const allowed = await preflight(server, '/api/v1/tasks', 'https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await preflight(server, '/api/v1/tasks', 'http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${server.url}/health`, { headers: { origin: devOrigin } });
    expect(simple.headers.get('access-control-allow-origin')).toBe(devOrigin);
  });
});
