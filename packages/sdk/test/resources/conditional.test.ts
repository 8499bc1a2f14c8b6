// Conditional reads: get(id, { ifNoneMatch }) resolves with null on 304 (the caller's copy is
// current) and with the resource otherwise, for tasks, projects and sprints; a 304 is a
// success for retries and the breaker, and its (empty) body is not validated.
import { type RunningMockServer, startMockServer } from '@dtm/mock-server';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { CircuitBreaker } from '../../src/core/breaker.js';
import type { APIPromise } from '../../src/core/api-promise.js';
import type { CallMetrics } from '../../src/core/hooks.js';
import type { ConditionalReadOptions } from '../../src/core/operation.js';
import type { components } from '../../src/generated/openapi.js';
import { type TestServer, startServer } from '../support/server.js';

type Task = components['schemas']['Task'];
type Project = components['schemas']['Project'];
type Sprint = components['schemas']['Sprint'];

const user = { username: 'reader', password: 'reader-password-123', roles: ['admin' as const] };
let mock: RunningMockServer;
let client: DtmClient;
let ids: { task: string; project: string; sprint: string };

beforeAll(async () => {
  mock = await startMockServer({ users: [user], tasks: 5 });
  client = new DtmClient({ baseUrl: mock.url, env: {}, breaker: false });
  await client.auth.login({ username: user.username, password: user.password });
  const project = await client.projects.create({ name: 'Conditional reads' });
  const sprint = await client.sprints.create({ name: 'Conditional', project_id: project.id, start_date: '2026-03-02', end_date: '2026-03-06' });
  const task = await client.tasks.create({ title: 'Conditional', project_id: project.id });
  ids = { task: task.id, project: project.id, sprint: sprint.id };
});

afterAll(async () => {
  await mock.stop();
});

const reads = {
  task: (id: string, options?: ConditionalReadOptions) => client.tasks.get(id, options),
  project: (id: string, options?: ConditionalReadOptions) => client.projects.get(id, options),
  sprint: (id: string, options?: ConditionalReadOptions) => client.sprints.get(id, options),
};

describe.each(['task', 'project', 'sprint'] as const)('%ss.get with ifNoneMatch', (kind) => {
  it('resolves with null when the version is current (number, ETag or weak ETag)', async () => {
    const current = await reads[kind](ids[kind]);
    expect(current?.version).toBe(1);
    for (const ifNoneMatch of [1, '"1"', 'W/"1"']) expect(await reads[kind](ids[kind], { ifNoneMatch })).toBeNull();
  });

  it('resolves with the resource when it changed since', async () => {
    const fresh = await reads[kind](ids[kind], { ifNoneMatch: 999 });
    expect(fresh).toMatchObject({ id: ids[kind], version: 1 });
  });
});

describe('the types', () => {
  it('stay APIPromise<T> without ifNoneMatch and become APIPromise<T | null> with it', () => {
    expectTypeOf(client.tasks.get('TASK-000001')).toEqualTypeOf<APIPromise<Task>>();
    expectTypeOf(client.tasks.get('TASK-000001', { timeoutMs: 5 })).toEqualTypeOf<APIPromise<Task>>();
    expectTypeOf(client.tasks.get('TASK-000001', { ifNoneMatch: 3 })).toEqualTypeOf<APIPromise<Task | null>>();
    expectTypeOf(client.projects.get('PRJ-001')).toEqualTypeOf<APIPromise<Project>>();
    expectTypeOf(client.projects.get('PRJ-001', { ifNoneMatch: '"3"' })).toEqualTypeOf<APIPromise<Project | null>>();
    expectTypeOf(client.sprints.get('SPR-001')).toEqualTypeOf<APIPromise<Sprint>>();
    expectTypeOf(client.sprints.get('SPR-001', { ifNoneMatch: 3 })).toEqualTypeOf<APIPromise<Sprint | null>>();
    // Options whose ifNoneMatch may or may not be set can answer null.
    const maybe: ConditionalReadOptions = {};
    expectTypeOf(client.tasks.get('TASK-000001', maybe)).toEqualTypeOf<APIPromise<Task | null>>();
  });
});

describe('a 304 through the transport', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is one successful attempt: sent with If-None-Match, not retried, not validated, the breaker stays closed', async () => {
    server = await startServer((_request, response) => {
      // A body and content type that would fail validation if they were read.
      response.writeHead(304, { etag: '"3"', 'content-type': 'text/plain' });
      response.end();
    });
    const metrics: CallMetrics[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    const conditional = new DtmClient({ baseUrl: server.url, token: 't', env: {}, breaker, hooks: { onMetrics: (event) => metrics.push(event) } });
    expect(await conditional.tasks.get('TASK-000003', { ifNoneMatch: 3 })).toBeNull();
    expect(server.requests.map((request) => request.headers['if-none-match'])).toEqual(['"3"']);
    expect(metrics).toMatchObject([{ operation: 'getTask', status: 304, attempts: 1, ok: true }]);
    expect(breaker.snapshot().state).toBe('closed');
  });
});
