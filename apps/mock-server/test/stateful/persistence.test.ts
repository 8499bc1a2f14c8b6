// dataFile: data survives a restart, ids are never reused, writes are atomic, a corrupt
// file is refused rather than overwritten, and 100,000 tasks load.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Sprint, Task, TaskHistoryEntry } from '../../src/engines/stateful/types.js';
import { Api, type RunningMockServer, apiAs, expectProblem, login, start } from './harness.js';

let directory: string;
const running = new Set<RunningMockServer>();

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dtm-mock-persistence-'));
});

afterAll(async () => {
  for (const server of running) await server.stop();
  await rm(directory, { recursive: true, force: true });
});

async function startWith(file: string, tasks = 5): Promise<RunningMockServer> {
  const server = await start({ dataFile: file, tasks });
  running.add(server);
  return server;
}

async function stop(server: RunningMockServer): Promise<void> {
  await server.stop();
  running.delete(server);
}

async function history(api: Api, id: string): Promise<TaskHistoryEntry[]> {
  return ((await api.get(`/api/v1/tasks/${id}/history`)).body as { items: TaskHistoryEntry[] }).items;
}

describe('restart with the same data file', () => {
  it('keeps every task, project, sprint and history entry, and continues the ids without reuse', async () => {
    const file = join(directory, 'restart.json');
    const first = await startWith(file, 5);
    expect(first.taskCount()).toBe(5);
    let api = await apiAs(first);

    const project = (await api.post('/api/v1/projects', { name: 'Persisted project' })).body as Project;
    const sprint = (await api.post('/api/v1/sprints', { name: 'Persisted sprint', project_id: project.id, start_date: '2026-03-02', end_date: '2026-03-06' }))
      .body as Sprint;
    const kept = await api.createTask({ title: 'Persisted task', project_id: project.id, sprint_id: sprint.id, tags: ['keep'] });
    await api.patch(`/api/v1/tasks/${kept.id}`, { priority: 'critical' });
    await api.post(`/api/v1/tasks/${kept.id}/complete`, { completion_notes: 'Kept.' });
    const doomed = await api.createTask({ title: 'Deleted before the restart' });
    expect((await api.delete(`/api/v1/tasks/${doomed.id}`)).status).toBe(204);
    expect(kept.id).toBe('TASK-000006');
    expect(doomed.id).toBe('TASK-000007');

    const tasksBefore = (await api.get('/api/v1/tasks', { query: { limit: 1000 } })).body as { items: Task[]; total: number };
    const projectsBefore = (await api.get('/api/v1/projects', { query: { limit: 1000 } })).body;
    const sprintsBefore = (await api.get('/api/v1/sprints', { query: { limit: 1000 } })).body;
    const keptHistory = await history(api, kept.id);
    const doomedHistory = await history(api, doomed.id);
    expect(tasksBefore.total).toBe(6);
    await stop(first);

    // A different seed size must not matter: the file wins.
    const second = await startWith(file, 50);
    expect(second.taskCount()).toBe(6);
    api = await apiAs(second);
    expect((await api.get('/api/v1/tasks', { query: { limit: 1000 } })).body).toEqual(tasksBefore);
    expect((await api.get('/api/v1/projects', { query: { limit: 1000 } })).body).toEqual(projectsBefore);
    expect((await api.get('/api/v1/sprints', { query: { limit: 1000 } })).body).toEqual(sprintsBefore);
    expect(await history(api, kept.id)).toEqual(keptHistory);
    expect(await history(api, doomed.id)).toEqual(doomedHistory);
    expectProblem(await api.get(`/api/v1/tasks/${doomed.id}`), 404);
    const keptAgain = await api.get(`/api/v1/tasks/${kept.id}`);
    expect(keptAgain.headers.get('etag')).toBe('"3"');

    // New ids continue after the highest ever given, even the deleted one.
    const next = await api.createTask({ title: 'After the restart' });
    expect(next.id).toBe('TASK-000008');
    const nextProject = (await api.post('/api/v1/projects', { name: 'Second project after restart' })).body as Project;
    expect(Number(nextProject.id.slice(4))).toBe(Number(project.id.slice(4)) + 1);
    const nextHistory = await history(api, next.id);
    expect(nextHistory[0]?.id).toBeGreaterThan(Math.max(...keptHistory.map((entry) => entry.id), ...doomedHistory.map((entry) => entry.id)));
    await stop(second);

    // And the changes of the second run survive a third.
    const third = await startWith(file);
    api = await apiAs(third);
    expect(await api.getTask(next.id)).toEqual(next);
    await stop(third);
  });

  it('writes the file on start and after changes (flush), with no temporary files left behind', async () => {
    const sub = await mkdtemp(join(directory, 'atomic-'));
    const file = join(sub, 'data.json');
    const server = await startWith(file, 3);
    // The seeded data is on disk before the first change.
    const initial = JSON.parse(await readFile(file, 'utf8')) as { format: string; version: number; tasks: Task[] };
    expect(initial).toMatchObject({ format: 'dtm-mock-data', version: 1 });
    expect(initial.tasks).toHaveLength(3);

    const api = await apiAs(server);
    for (let index = 0; index < 20; index++) await api.createTask({ title: `Burst ${index}` });
    await server.flush();
    const flushed = JSON.parse(await readFile(file, 'utf8')) as { tasks: Task[] };
    expect(flushed.tasks).toHaveLength(23);
    expect(flushed.tasks.at(-1)?.title).toBe('Burst 19');

    await api.createTask({ title: 'Saved by stop' });
    await stop(server);
    const stopped = JSON.parse(await readFile(file, 'utf8')) as { tasks: Task[] };
    expect(stopped.tasks).toHaveLength(24);
    expect(await readdir(sub)).toEqual(['data.json']);
  });

  it('starts fresh (seeding and writing the file) when the file does not exist yet', async () => {
    const sub = await mkdtemp(join(directory, 'fresh-'));
    const server = await startWith(join(sub, 'new.json'), 2);
    expect(server.taskCount()).toBe(2);
    await stop(server);
    expect(await readdir(sub)).toEqual(['new.json']);
  });
});

describe('logins kept with the data file', () => {
  it('keeps the generated signing key and the refresh tokens (as digests): old tokens work after a restart', async () => {
    const sub = await mkdtemp(join(directory, 'logins-'));
    const file = join(sub, 'data.json');
    const first = await startWith(file, 1);
    const tokens = await login(first, 'admin', 'admin-password');
    await stop(first);
    const kept = await readFile(file, 'utf8');
    expect(kept).not.toContain(tokens.refresh_token);
    // The harness gives its users: no password is generated, so none is kept.
    expect(JSON.parse(kept)).toMatchObject({ secrets: { jwtSecret: expect.stringMatching(/^[\w-]{43}$/) as unknown } });
    expect(kept).not.toContain('admin-password');

    const second = await startWith(file, 1);
    const api = new Api(second.url, tokens.access_token);
    expect((await api.get('/auth/me')).status).toBe(200);
    const refreshed = await new Api(second.url).post('/auth/refresh', { refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    await stop(second);
  });

  it('keeps nothing without a data file, even where dtm-mock would keep it (DTM_MOCK_DATA_DIR)', async () => {
    const sub = await mkdtemp(join(directory, 'memory-'));
    const before = process.env.DTM_MOCK_DATA_DIR;
    process.env.DTM_MOCK_DATA_DIR = sub;
    try {
      const first = await start({ tasks: 1 });
      running.add(first);
      const api = await apiAs(first);
      const task = await api.createTask({ title: 'Only in memory' });
      await stop(first);
      expect(await readdir(sub)).toEqual([]);
      const second = await start({ tasks: 1 });
      running.add(second);
      expectProblem(await (await apiAs(second)).get(`/api/v1/tasks/${task.id}`), 404);
      await stop(second);
    } finally {
      if (before === undefined) delete process.env.DTM_MOCK_DATA_DIR;
      else process.env.DTM_MOCK_DATA_DIR = before;
    }
  });
});

describe('a data file that cannot be read', () => {
  it.each([
    ['not JSON', '{"format": "dtm-mock-data", "version": 1, "tasks": [', /not valid JSON/],
    ['JSON of another shape', '{"hello": "world"}', /not a DTM mock data file/],
    ['another version', '{"format": "dtm-mock-data", "version": 2, "tasks": [], "projects": [], "sprints": [], "history": [], "counters": {}}', /not a DTM mock data file/],
    ['empty', '', /not valid JSON/],
    ['with bad sessions', '{"format": "dtm-mock-data", "version": 1, "tasks": [], "projects": [], "sprints": [], "history": [], "counters": {}, "auth": {"sessions": 1}}', /not a DTM mock data file/],
  ])('rejects a file that is %s with a clear message, and leaves it as it was', async (_name, content, message) => {
    const sub = await mkdtemp(join(directory, 'corrupt-'));
    const file = join(sub, 'data.json');
    await writeFile(file, content);
    const starting = start({ dataFile: file, tasks: 3 });
    await expect(starting).rejects.toThrow(message);
    await expect(starting).rejects.toThrow(file);
    expect(await readFile(file, 'utf8')).toBe(content);
    expect(await readdir(sub)).toEqual(['data.json']);
  });

  it('refuses to start when the data file cannot be written (its folder does not exist)', async () => {
    const file = join(directory, 'no-such-folder', 'data.json');
    await expect(start({ dataFile: file, tasks: 1 })).rejects.toThrow(`cannot write the data file ${file}`);
  });
});

describe('100,000 seeded tasks', () => {
  it('start, list, and load again from the data file', async () => {
    const sub = await mkdtemp(join(directory, 'large-'));
    const file = join(sub, 'large.json');
    const first = await startWith(file, 100_000);
    expect(first.taskCount()).toBe(100_000);
    let api = await apiAs(first);
    const page = (await api.get('/api/v1/tasks', { query: { limit: 1000, offset: 99_500, sort: '-id' } })).body as { items: Task[]; total: number };
    expect(page.total).toBe(100_000);
    expect(page.items).toHaveLength(500);
    expect(page.items.at(-1)?.id).toBe('TASK-000001');
    const filtered = (await api.get('/api/v1/tasks', { query: { status: 'completed', limit: 1 } })).body as { total: number };
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(100_000);
    await stop(first);

    const second = await startWith(file, 0);
    expect(second.taskCount()).toBe(100_000);
    api = await apiAs(second);
    expect(((await api.get('/api/v1/tasks', { query: { status: 'completed', limit: 1 } })).body as { total: number }).total).toBe(filtered.total);
    await stop(second);
    expect(await readdir(sub)).toEqual(['large.json']);
  }, 120_000);
});
