// listChanges: a compacted feed of every task, project and sprint write, cursors that page
// and resume, tombstones, long-polls, 410 for cursors of another epoch, and cursors that
// survive a restart with --data.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Change, ChangePage, Page, Project, Sprint, Task } from '../../src/engines/stateful/types.js';
import { type Api, type RunningMockServer, apiAs, expectProblem, start } from './harness.js';

const running = new Set<RunningMockServer>();
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dtm-mock-changes-'));
});

afterAll(async () => {
  for (const server of running) await server.stop();
  await rm(directory, { recursive: true, force: true });
});

async function startServer(options: Parameters<typeof start>[0] = {}): Promise<RunningMockServer> {
  const server = await start(options);
  running.add(server);
  return server;
}

async function stop(server: RunningMockServer): Promise<void> {
  await server.stop();
  running.delete(server);
}

async function changes(api: Api, query: Record<string, string | number> = {}): Promise<ChangePage> {
  const answer = await api.get('/api/v1/changes', { query });
  expect(answer.status, answer.text).toBe(200);
  return answer.body as ChangePage;
}

/** Every change from `cursor` on, page by page; the cursor to resume from. */
async function drain(api: Api, cursor?: string, limit = 1000): Promise<{ items: Change[]; cursor: string }> {
  const items: Change[] = [];
  let next = cursor;
  for (;;) {
    const page = await changes(api, { ...(next === undefined ? {} : { cursor: next }), limit });
    items.push(...page.items);
    next = page.next_cursor;
    if (!page.has_more) return { items, cursor: next };
  }
}

const keys = (items: Change[]): string[] => items.map((change) => `${change.kind}:${change.id}:${change.op}`);

async function all<T>(api: Api, path: string): Promise<T[]> {
  return ((await api.get(path, { query: { limit: 1000 } })).body as Page<T>).items;
}

describe('the feed from the beginning', () => {
  it('has every live record once, with its current version, projects and sprints of the seed included', async () => {
    const server = await startServer({ tasks: 20 });
    const api = await apiAs(server);
    const { items } = await drain(api);
    const tasks = await all<Task>(api, '/api/v1/tasks');
    const projects = await all<Project>(api, '/api/v1/projects');
    const sprints = await all<Sprint>(api, '/api/v1/sprints');
    const live = [
      ...projects.map((project) => `project:${project.id}:upsert`),
      ...sprints.map((sprint) => `sprint:${sprint.id}:upsert`),
      ...tasks.map((task) => `task:${task.id}:upsert`),
    ];
    expect(keys(items).sort()).toEqual(live.sort());
    expect(tasks).toHaveLength(20);
    const byKey = new Map(items.map((change) => [`${change.kind}:${change.id}`, change]));
    for (const task of tasks) expect(byKey.get(`task:${task.id}`)).toMatchObject({ version: task.version, record: task, changed_at: task.updated_at });
    for (const sprint of sprints) expect(byKey.get(`sprint:${sprint.id}`)?.record).toEqual(sprint);
  });

  it('answers an empty page with the same cursor when nothing changed after it', async () => {
    const server = await startServer();
    const api = await apiAs(server);
    const { cursor } = await drain(api);
    const page = await changes(api, { cursor });
    expect(page).toEqual({ items: [], next_cursor: cursor, has_more: false });
  });
});

describe('after a cursor', () => {
  let server: RunningMockServer;
  let api: Api;
  beforeAll(async () => {
    server = await startServer();
    api = await apiAs(server);
  });

  it('has only what changed since, in change order', async () => {
    const { cursor } = await drain(api);
    const first = await api.createTask({ title: 'First', project_id: 'PRJ-001' });
    const project = (await api.post('/api/v1/projects', { name: 'After the cursor' })).body as Project;
    const page = await changes(api, { cursor });
    expect(keys(page.items)).toEqual([`task:${first.id}:upsert`, `project:${project.id}:upsert`]);
    expect(page.items[0]).toEqual({ kind: 'task', id: first.id, op: 'upsert', version: 1, changed_at: first.updated_at, record: first });
    expect(page.has_more).toBe(false);
  });

  it('compacts: a record changed twice appears once, at its latest version', async () => {
    const task = await api.createTask({ title: 'Twice' });
    const { cursor } = await drain(api);
    await api.patch(`/api/v1/tasks/${task.id}`, { priority: 'high' });
    const other = await api.createTask({ title: 'Between' });
    await api.post(`/api/v1/tasks/${task.id}/complete`, { completion_notes: 'Done.' });
    const page = await changes(api, { cursor });
    expect(keys(page.items)).toEqual([`task:${other.id}:upsert`, `task:${task.id}:upsert`]);
    expect(page.items[1]?.record).toEqual(await api.getTask(task.id));
    expect(page.items[1]?.version).toBe(3);
  });

  it('reports deletions as tombstones, without a record, also to a reader from the beginning', async () => {
    const task = await api.createTask({ title: 'Doomed' });
    await api.patch(`/api/v1/tasks/${task.id}`, { priority: 'low' });
    const { cursor } = await drain(api);
    expect((await api.delete(`/api/v1/tasks/${task.id}`)).status).toBe(204);
    const project = (await api.post('/api/v1/projects', { name: 'Doomed project' })).body as Project;
    expect((await api.delete(`/api/v1/projects/${project.id}`)).status).toBe(204);

    const page = await changes(api, { cursor });
    expect(page.items).toEqual([
      { kind: 'task', id: task.id, op: 'delete', version: 2, changed_at: expect.any(String) as unknown },
      { kind: 'project', id: project.id, op: 'delete', version: 1, changed_at: expect.any(String) as unknown },
    ]);
    const fromStart = keys((await drain(api)).items);
    expect(fromStart).toContain(`task:${task.id}:delete`);
    expect(fromStart).not.toContain(`task:${task.id}:upsert`);
  });

  it('records each operation of a bulk request', async () => {
    const [updated, deleted] = [await api.createTask({ title: 'Bulk update' }), await api.createTask({ title: 'Bulk delete' })];
    const { cursor } = await drain(api);
    const bulk = await api.post('/api/v1/tasks/bulk', {
      operations: [
        { op: 'create', data: { title: 'Bulk create' } },
        { op: 'update', id: updated.id, data: { status: 'blocked' } },
        { op: 'delete', id: deleted.id },
        { op: 'delete', id: 'TASK-999999' },
      ],
    });
    expect(bulk.status).toBe(200);
    const createdId = (bulk.body as { results: { id?: string }[] }).results[0]?.id;
    const page = await changes(api, { cursor });
    expect(keys(page.items)).toEqual([`task:${createdId}:upsert`, `task:${updated.id}:upsert`, `task:${deleted.id}:delete`]);
    expect(page.items[1]?.record).toMatchObject({ status: 'blocked', version: 2 });
  });

  it('records the tasks an assignment moves (sprint_id and version) and the sprint lifecycle', async () => {
    const sprint = (await api.post('/api/v1/sprints', { name: 'Feed sprint', project_id: 'PRJ-001', start_date: '2026-03-02', end_date: '2026-03-06' }))
      .body as Sprint;
    const tasks = [await api.createTask({ title: 'Assigned 1', project_id: 'PRJ-001' }), await api.createTask({ title: 'Assigned 2', project_id: 'PRJ-001' })];
    const { cursor } = await drain(api);
    expect((await api.post(`/api/v1/sprints/${sprint.id}/tasks`, { task_ids: tasks.map((task) => task.id) })).status).toBe(200);
    let page = await changes(api, { cursor });
    expect(keys(page.items)).toEqual(tasks.map((task) => `task:${task.id}:upsert`));
    for (const change of page.items) expect(change.record).toMatchObject({ sprint_id: sprint.id, version: 2 });

    expect((await api.delete(`/api/v1/sprints/${sprint.id}`)).status).toBe(204);
    page = await changes(api, { cursor: page.next_cursor });
    // Deleting the sprint takes its tasks out of it first.
    expect(keys(page.items)).toEqual([...tasks.map((task) => `task:${task.id}:upsert`), `sprint:${sprint.id}:delete`]);
    for (const change of page.items.slice(0, 2)) expect(change.record).toMatchObject({ sprint_id: null, version: 3 });
  });
});

describe('paging', () => {
  it('walks every change in pages of `limit`, has_more until the last, without repeats', async () => {
    const server = await startServer({ tasks: 25 });
    const api = await apiAs(server);
    const whole = await changes(api, { limit: 1000 });
    expect(whole.has_more).toBe(false);
    const pages: ChangePage[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await changes(api, { ...(cursor === undefined ? {} : { cursor }), limit: 7 });
      pages.push(page);
      cursor = page.next_cursor;
      if (!page.has_more) break;
    }
    expect(pages.slice(0, -1).every((page) => page.items.length === 7 && page.has_more)).toBe(true);
    expect(pages.flatMap((page) => page.items)).toEqual(whole.items);
    expect(cursor).toBe(whole.next_cursor);
  });

  it('uses the contract default of 100 and refuses a limit above 1000 or a wait above 30', async () => {
    const server = await startServer({ tasks: 150 });
    const api = await apiAs(server);
    const page = await changes(api);
    expect(page.items).toHaveLength(100);
    expect(page.has_more).toBe(true);
    expectProblem(await api.get('/api/v1/changes', { query: { limit: 1001 } }), 422);
    expectProblem(await api.get('/api/v1/changes', { query: { wait: 31 } }), 422);
  });
});

describe('long-poll', () => {
  it('holds a request with nothing new and answers as soon as a change arrives', async () => {
    const server = await startServer();
    const api = await apiAs(server);
    const { cursor } = await drain(api);
    const waiting = api.get('/api/v1/changes', { query: { cursor, wait: 30 } });
    await vi.waitFor(() => {
      expect(server.longPolls()).toBe(1);
    });
    const task = await api.createTask({ title: 'Wakes the poll' });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(keys((answer.body as ChangePage).items)).toEqual([`task:${task.id}:upsert`]);
    expect(server.longPolls()).toBe(0);
  });

  it('answers an empty page with the same cursor when no change arrives within `wait`', async () => {
    const server = await startServer();
    const api = await apiAs(server);
    const { cursor } = await drain(api);
    const page = await changes(api, { cursor, wait: 1 });
    expect(page).toEqual({ items: [], next_cursor: cursor, has_more: false });
    expect(server.longPolls()).toBe(0);
  });

  it('forgets a long-poll whose client went away', async () => {
    const server = await startServer();
    const api = await apiAs(server);
    const { cursor } = await drain(api);
    const gone = new AbortController();
    const request = fetch(`${server.url}/api/v1/changes?cursor=${cursor}&wait=30`, {
      headers: { authorization: `Bearer ${api.token ?? ''}` },
      signal: gone.signal,
    }).catch((error: unknown) => error);
    await vi.waitFor(() => {
      expect(server.longPolls()).toBe(1);
    });
    gone.abort();
    expect(await request).toBeInstanceOf(Error);
    await vi.waitFor(() => {
      expect(server.longPolls()).toBe(0);
    });
  });

  it('answers at once when changes are already waiting', async () => {
    const server = await startServer();
    const api = await apiAs(server);
    const page = await changes(api, { wait: 30 });
    expect(page.items.length).toBeGreaterThan(0);
  });
});

describe('cursors the server cannot serve', () => {
  it('410 for a cursor of another server instance, a malformed one and one from the future', async () => {
    const [one, other] = [await startServer(), await startServer()];
    const [api, otherApi] = [await apiAs(one), await apiAs(other)];
    const foreign = (await drain(otherApi)).cursor;
    const own = (await drain(api)).cursor;
    const future = own.replace(/\.\d+$/, '.999999');
    for (const cursor of [foreign, 'garbage', `${own}x`, future, '']) {
      const problem = expectProblem(await api.get('/api/v1/changes', { query: { cursor } }), 410);
      expect(problem.type).toBe('urn:dtm:problem:cursor-expired');
      expect(problem.detail).toMatch(/without a cursor/);
    }
  });
});

describe('persistence (--data)', () => {
  it('keeps cursors valid and tombstones across a restart, and continues the sequence', async () => {
    const file = join(directory, 'changes.json');
    let server = await startServer({ dataFile: file, tasks: 3 });
    let api = await apiAs(server);
    const doomed = await api.createTask({ title: 'Deleted before the restart' });
    expect((await api.delete(`/api/v1/tasks/${doomed.id}`)).status).toBe(204);
    const before = await drain(api);
    await stop(server);

    server = await startServer({ dataFile: file });
    api = await apiAs(server);
    expect(await changes(api, { cursor: before.cursor })).toEqual({ items: [], next_cursor: before.cursor, has_more: false });
    expect(await drain(api)).toEqual(before);
    const task = await api.createTask({ title: 'After the restart' });
    const page = await changes(api, { cursor: before.cursor });
    expect(keys(page.items)).toEqual([`task:${task.id}:upsert`]);
    expect(page.next_cursor).not.toBe(before.cursor);
  });

  it('loads a data file written without the feed: a new epoch, old cursors get 410', async () => {
    const file = join(directory, 'old-format.json');
    let server = await startServer({ dataFile: file, tasks: 3 });
    let api = await apiAs(server);
    const old = (await drain(api)).cursor;
    await stop(server);
    const { changes: _feed, ...withoutFeed } = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify(withoutFeed));

    server = await startServer({ dataFile: file });
    api = await apiAs(server);
    expectProblem(await api.get('/api/v1/changes', { query: { cursor: old } }), 410);
    const { items } = await drain(api);
    expect(items.filter((change) => change.kind === 'task')).toHaveLength(3);
    expect(items.every((change) => change.op === 'upsert')).toBe(true);
  });
});
