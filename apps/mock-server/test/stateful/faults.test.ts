import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMockServer, startMockServer } from '../../src/engines/stateful/server.js';
import { noFaults } from '../../src/faults.js';

// Every fault as a plain HTTP client sees it. One server for the whole file; each test
// resets the faults afterwards, so the order of the tests does not matter.

let server: RunningMockServer;
let token: string;

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

beforeAll(async () => {
  server = await startMockServer({
    port: 0,
    tasks: 10,
    users: [{ username: 'demo', password: 'faults-test-password', roles: ['admin'] }],
  });
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password: 'faults-test-password' }),
  });
  expect(login.status).toBe(200);
  token = ((await login.json()) as { access_token: string }).access_token;
});

afterEach(async () => {
  await server.setFaults({ ...noFaults });
});

afterAll(async () => {
  await server.stop();
});

const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

function listTasks(): Promise<Response> {
  return fetch(`${server.url}/api/v1/tasks?limit=1`, { headers: auth() });
}

function createTask(title: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/tasks`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
}

function admin(method: 'GET' | 'PUT' | 'DELETE', body?: unknown): Promise<Response> {
  return fetch(`${server.url}/__admin/faults`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

async function expectProblem(response: Response, status: number): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Problem;
  expect(body).toMatchObject({ status, type: expect.any(String) as string, title: expect.any(String) as string });
  return body;
}

/** What a rejected fetch says about the connection: the codes and messages of its causes. */
async function connectionFailure(request: Promise<Response>): Promise<string> {
  let caught: unknown;
  try {
    const response = await request;
    caught = new Error(`expected the request to fail, but it was answered ${response.status}`);
  } catch (error) {
    caught = error;
  }
  return describeFailure(caught);
}

/** The codes and messages of a fetch failure's causes, e.g. "Error connect ECONNREFUSED … ECONNREFUSED". */
function describeFailure(caught: unknown): string {
  expect(caught).toBeInstanceOf(TypeError);
  const parts: string[] = [];
  const visit = (value: unknown): void => {
    if (!(value instanceof Error)) return;
    parts.push(value.name, value.message, (value as NodeJS.ErrnoException).code ?? '');
    if (value instanceof AggregateError) value.errors.forEach(visit);
    visit(value.cause);
  };
  visit((caught as Error).cause);
  return parts.join(' ');
}

const closed = /ECONNRESET|UND_ERR_SOCKET|other side closed|SocketError/;

/**
 * Expects the request to be refused. A keep-alive connection opened before the server went
 * down was closed by it, but the client may not have noticed yet: that request fails with
 * "other side closed" and the next one opens a new connection, which must be refused.
 */
async function expectRefused(request: () => Promise<Response>): Promise<void> {
  let failure = await connectionFailure(request());
  for (let attempt = 0; attempt < 2 && !/ECONNREFUSED/.test(failure) && closed.test(failure); attempt++) {
    failure = await connectionFailure(request());
  }
  expect(failure).toMatch(/ECONNREFUSED/);
}

async function waitUntilAnswering(timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      await fetch(`${server.url}/health`);
      return Date.now() - started;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  throw new Error(`the server did not answer again within ${timeoutMs} ms`);
}

describe('latency', () => {
  it('delays every answer by at least latencyMs', async () => {
    await server.setFaults({ latencyMs: 300 });
    for (const request of [() => fetch(`${server.url}/health`), listTasks]) {
      const started = performance.now();
      const response = await request();
      const elapsed = performance.now() - started;
      expect(response.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(290);
    }
  });

  it('adds jitter on top of the latency, never less than latencyMs', async () => {
    await server.setFaults({ latencyMs: 150, jitterMs: 50 });
    const started = performance.now();
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('errorRate', () => {
  it.each([500, 502, 503] as const)('errorRate 1 with errorStatuses [%i] answers %i as problem+json', async (status) => {
    await server.setFaults({ errorRate: 1, errorStatuses: [status] });
    for (const request of [() => fetch(`${server.url}/health`), listTasks, () => createTask('never created')]) {
      const response = await request();
      const body = await expectProblem(response, status);
      expect(body.detail).toMatch(/injected/i);
      if (status === 503) expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      else expect(response.headers.get('retry-after')).toBeNull();
    }
  });

  it('picks among several errorStatuses', async () => {
    await server.setFaults({ errorRate: 1, errorStatuses: [502, 503] });
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) seen.add((await fetch(`${server.url}/health`)).status);
    expect([...seen].sort()).toEqual([502, 503]);
  });

  it('does not corrupt state: with errorRate 0.5, one task exists per 201 answer', async () => {
    const before = server.taskCount();
    const totalBefore = ((await (await listTasks()).json()) as { total: number }).total;
    await server.setFaults({ errorRate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await createTask(`under fire ${i}`);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    await server.setFaults({ errorRate: 0 });
    const created = statuses.filter((status) => status === 201).length;
    // Both outcomes happen (the chance that one of them never does is 2 × 0.5^40).
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(40);
    expect(statuses.every((status) => status === 201 || [500, 502, 503].includes(status))).toBe(true);
    expect(server.taskCount()).toBe(before + created);
    const totalAfter = ((await (await listTasks()).json()) as { total: number }).total;
    expect(totalAfter).toBe(totalBefore + created);
  });
});

describe('rateLimit', () => {
  it('answers 429 with Retry-After after the limit, and lets requests through after waiting', async () => {
    await server.setFaults({ rateLimit: 2 });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await listTasks()).status).toBe(200);
    const limited = await fetch(`${server.url}/health`);
    const body = await expectProblem(limited, 429);
    expect(body.detail).toMatch(/rate limit/i);
    const retryAfter = limited.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    const seconds = Number(retryAfter);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(2);
    // Still limited right away.
    expect((await listTasks()).status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await listTasks()).status).toBe(200);
  });
});

describe('dropRate', () => {
  it('dropRate 1 closes the connection without an answer; dropRate 0 serves again', async () => {
    const tasks = server.taskCount();
    await server.setFaults({ dropRate: 1 });
    expect(await connectionFailure(fetch(`${server.url}/health`))).toMatch(closed);
    expect(await connectionFailure(listTasks())).toMatch(closed);
    expect(await connectionFailure(createTask('dropped'))).toMatch(closed);
    expect(server.taskCount()).toBe(tasks);

    await server.setFaults({ dropRate: 0 });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await listTasks()).status).toBe(200);
  });
});

describe('down', () => {
  it('refuses connections while down and answers on the same port afterwards, data intact', async () => {
    const created = await createTask('survives an outage');
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const port = server.port;

    await server.setFaults({ down: true });
    expect(server.faults().down).toBe(true);
    await expectRefused(() => fetch(`${server.url}/health`));
    await expectRefused(listTasks);
    // The admin endpoints are on the same listener: they are down too.
    await expectRefused(() => admin('GET'));

    await server.setFaults({ down: false });
    expect(server.port).toBe(port);
    const again = await fetch(`${server.url}/api/v1/tasks/${id}`, { headers: auth() });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id, title: 'survives an outage' });
  });
});

describe('/__admin/faults', () => {
  it('GET shows the faults in force', async () => {
    await server.setFaults({ latencyMs: 5, rateLimit: 1000 });
    const response = await admin('GET');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ...noFaults, latencyMs: 5, rateLimit: 1000 });
  });

  it('PUT merges a change into the faults in force', async () => {
    let response = await admin('PUT', { latencyMs: 10, jitterMs: 5 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ...noFaults, latencyMs: 10, jitterMs: 5 });

    response = await admin('PUT', { errorStatuses: [503], errorRate: 0 });
    expect(response.status).toBe(200);
    const merged = { ...noFaults, latencyMs: 10, jitterMs: 5, errorStatuses: [503] };
    expect(await response.json()).toEqual(merged);
    expect(await (await admin('GET')).json()).toEqual(merged);
    expect(server.faults()).toEqual(merged);
  });

  it.each([
    ['an unknown field', { latencyMs: 5, lattency: 100 }, /lattency/],
    ['errorRate 2', { errorRate: 2 }, /errorRate/],
    ['a negative latency', { latencyMs: -1 }, /latencyMs/],
    ['an unsupported error status', { errorStatuses: [404] }, /errorStatuses/],
    ['down: true without downForMs', { down: true }, /downForMs/],
    ['down: true with downForMs 0', { down: true, downForMs: 0 }, /downForMs/],
    ['a body that is not an object', [1, 2], /object/],
  ])('PUT rejects %s with a 400 problem naming it, changing nothing', async (_name, body, named) => {
    await server.setFaults({ jitterMs: 7 });
    const problem = await expectProblem(await admin('PUT', body), 400);
    expect(problem.detail).toMatch(named);
    expect(await (await admin('GET')).json()).toEqual({ ...noFaults, jitterMs: 7 });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('PUT {down: true, downForMs} answers 202, refuses connections, and comes back by itself', async () => {
    const response = await admin('PUT', { down: true, downForMs: 500 });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ down: true, downForMs: 500 });
    const put = Date.now();

    // It goes down right after answering.
    let refused = '';
    for (let i = 0; i < 40 && !/ECONNREFUSED/.test(refused); i++) {
      try {
        await (await fetch(`${server.url}/health`)).arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 10));
      } catch (error) {
        refused = describeFailure(error);
        expect(refused).toMatch(new RegExp(`ECONNREFUSED|${closed.source}`));
      }
    }
    expect(refused).toMatch(/ECONNREFUSED/);
    expect(Date.now() - put).toBeLessThan(400);

    await waitUntilAnswering(3000);
    expect(Date.now() - put).toBeGreaterThanOrEqual(450);
    const faults = await admin('GET');
    expect(await faults.json()).toEqual({ ...noFaults });
    expect((await listTasks()).status).toBe(200);
  });

  it('DELETE resets every fault', async () => {
    await server.setFaults({ latencyMs: 20, jitterMs: 20, errorRate: 0.5, errorStatuses: [502], rateLimit: 50, dropRate: 0.1 });
    const response = await admin('DELETE');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ...noFaults });
    expect(server.faults()).toEqual({ ...noFaults });
    expect((await listTasks()).status).toBe(200);
  });

  it('is not affected by the faults', async () => {
    await server.setFaults({ errorRate: 1, errorStatuses: [500], dropRate: 1, latencyMs: 2000, rateLimit: 1 });
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const response = await admin('GET');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ errorRate: 1, dropRate: 1, latencyMs: 2000, rateLimit: 1 });
      expect(performance.now() - started).toBeLessThan(1000);
    }
    // ...while the API itself is: the connection is dropped.
    expect(await connectionFailure(fetch(`${server.url}/health`))).toMatch(closed);

    expect((await admin('PUT', { dropRate: 0, latencyMs: 0 })).status).toBe(200);
    await expectProblem(await fetch(`${server.url}/health`), 500);
    expect((await admin('DELETE')).status).toBe(200);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('faults from the start', () => {
  it('options.faults applies from the first request, and stop() works while the server is down', async () => {
    const other = await startMockServer({ port: 0, tasks: 1, faults: { errorRate: 1, errorStatuses: [502] } });
    try {
      await expectProblem(await fetch(`${other.url}/health`), 502);
      await other.setFaults({ down: true });
      await expectRefused(() => fetch(`${other.url}/health`));
    } finally {
      // Stopping while down must not hang or throw.
      await other.stop();
    }
    await expectRefused(() => fetch(`${other.url}/health`));
  });

  it('a server started down refuses connections until setFaults({down: false})', async () => {
    const other = await startMockServer({ port: 0, tasks: 1, faults: { down: true } });
    try {
      expect(other.port).toBeGreaterThan(0);
      expect(other.faults().down).toBe(true);
      await expectRefused(() => fetch(`${other.url}/health`));
      await other.setFaults({ down: false });
      expect((await fetch(`${other.url}/health`)).status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});
