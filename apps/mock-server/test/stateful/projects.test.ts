// Projects: CRUD with ETags, delete rules, and the summary on a known data set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, ProjectSummary } from '../../src/engines/stateful/types.js';
import { type Api, Clock, type RunningMockServer, apiAs, expectProblem, fieldsOf, start } from './harness.js';

const clock = new Clock('2026-03-02T09:00:00.000Z');
let server: RunningMockServer;
let api: Api;

beforeAll(async () => {
  server = await start({ now: clock.now });
  api = await apiAs(server, 'admin');
});

afterAll(async () => {
  await server.stop();
});

async function createProject(body: Record<string, unknown>): Promise<Project> {
  const answer = await api.post('/api/v1/projects', body);
  expect(answer.status, answer.text).toBe(201);
  return answer.body as Project;
}

describe('CRUD with ETags', () => {
  it('creates, reads, updates with If-Match, rejects a stale If-Match, and deletes', async () => {
    const created = await api.post('/api/v1/projects', { name: 'Crud project', description: 'For the test', owner: 'alice' });
    expect(created.status, created.text).toBe(201);
    const project = created.body as Project;
    expect(project).toEqual({
      id: expect.stringMatching(/^PRJ-\d{3}$/) as unknown,
      name: 'Crud project',
      description: 'For the test',
      status: 'active',
      owner: 'alice',
      created_at: clock.iso(),
      updated_at: clock.iso(),
      version: 1,
    });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/v1/projects/${project.id}`);

    const read = await api.get(`/api/v1/projects/${project.id}`);
    expect(read.body).toEqual(project);
    expect(read.headers.get('etag')).toBe('"1"');

    clock.advance(60);
    const updated = await api.patch(`/api/v1/projects/${project.id}`, { status: 'archived' }, { headers: { 'if-match': '"1"' } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ status: 'archived', version: 2, updated_at: clock.iso(), created_at: project.created_at });
    expect(updated.headers.get('etag')).toBe('"2"');

    const stale = await api.patch(`/api/v1/projects/${project.id}`, { name: 'Lost' }, { headers: { 'if-match': '"1"' } });
    expectProblem(stale, 412);
    expect(stale.headers.get('etag')).toBe('"2"');

    const same = await api.patch(`/api/v1/projects/${project.id}`, { status: 'archived' });
    expect(same.headers.get('etag')).toBe('"2"');
    expect((same.body as Project).version).toBe(2);

    expectProblem(await api.delete(`/api/v1/projects/${project.id}`, { headers: { 'if-match': '"1"' } }), 412);
    expect((await api.delete(`/api/v1/projects/${project.id}`, { headers: { 'if-match': '"2"' } })).status).toBe(204);
    expectProblem(await api.get(`/api/v1/projects/${project.id}`), 404);
    expectProblem(await api.delete(`/api/v1/projects/${project.id}`), 404);
  });

  it('lists projects with status and q filters', async () => {
    const archived = await createProject({ name: 'Filter archive zx', status: 'archived' });
    const active = await createProject({ name: 'Filter active', description: 'Has ZX inside' });
    const byQ = (await api.get('/api/v1/projects', { query: { q: 'zx' } })).body as { items: Project[]; total: number };
    expect(byQ.items.map((project) => project.id).sort()).toEqual([archived.id, active.id].sort());
    const both = (await api.get('/api/v1/projects', { query: { q: 'zx', status: 'archived' } })).body as { items: Project[] };
    expect(both.items.map((project) => project.id)).toEqual([archived.id]);
    expect(fieldsOf(await api.get('/api/v1/projects', { query: { status: 'closed' } }))).toEqual(['status']);
  });

  it('rejects invalid bodies with field errors', async () => {
    expect(fieldsOf(await api.post('/api/v1/projects', { description: 'no name' }))).toEqual(['name']);
    expect(fieldsOf(await api.post('/api/v1/projects', { name: 'x', status: 'closed' }))).toEqual(['status']);
  });

  it('answers 409 to a second project with the same name, on create and on rename', async () => {
    const first = await createProject({ name: 'Unique name' });
    const count = ((await api.get('/api/v1/projects', { query: { limit: 1 } })).body as { total: number }).total;
    expect(expectProblem(await api.post('/api/v1/projects', { name: 'Unique name' }), 409).detail).toContain(first.id);
    expectProblem(await api.post('/api/v1/projects', { name: 'Website relaunch' }), 409); // a seeded one
    expect(((await api.get('/api/v1/projects', { query: { limit: 1 } })).body as { total: number }).total).toBe(count);

    const second = await createProject({ name: 'Another unique name' });
    expectProblem(await api.patch(`/api/v1/projects/${second.id}`, { name: 'Unique name' }), 409);
    expect((await api.get(`/api/v1/projects/${second.id}`)).body).toEqual(second);
    // Keeping its own name is no conflict.
    const same = await api.patch(`/api/v1/projects/${second.id}`, { name: 'Another unique name', owner: 'bob' });
    expect(same.status, same.text).toBe(200);
    expect(same.body).toMatchObject({ name: 'Another unique name', owner: 'bob', version: 2 });
  });
});

describe('deleteProject', () => {
  it('answers 409 while the project has tasks, and deletes it once they are gone', async () => {
    const project = await createProject({ name: 'With a task' });
    const task = await api.createTask({ title: 'Keeps the project', project_id: project.id });
    const refused = await api.delete(`/api/v1/projects/${project.id}`);
    expect(expectProblem(refused, 409).detail).toContain('1 task');
    expect((await api.get(`/api/v1/projects/${project.id}`)).status).toBe(200);

    await api.delete(`/api/v1/tasks/${task.id}`);
    expect((await api.delete(`/api/v1/projects/${project.id}`)).status).toBe(204);
  });

  it('answers 409 while the project has sprints', async () => {
    const project = await createProject({ name: 'With a sprint' });
    const sprint = await api.post('/api/v1/sprints', { name: 'S', project_id: project.id, start_date: '2026-03-02', end_date: '2026-03-06' });
    expect(sprint.status).toBe(201);
    expectProblem(await api.delete(`/api/v1/projects/${project.id}`), 409);
  });
});

describe('summary', () => {
  it('counts tasks by status and priority, with completion_rate over tasks not cancelled', async () => {
    const project = await createProject({ name: 'Summarised' });
    const tasks = [
      { status: 'pending', priority: 'high' },
      { status: 'pending', priority: 'low' },
      { status: 'in_progress', priority: 'medium' },
      { status: 'completed', priority: 'critical' },
      { status: 'completed', priority: 'high' },
      { status: 'cancelled', priority: 'low' },
    ] as const;
    for (const [index, task] of tasks.entries()) await api.createTask({ title: `Summary ${index}`, project_id: project.id, ...task });
    // Tasks of other projects and of no project do not count.
    await api.createTask({ title: 'Elsewhere', project_id: 'PRJ-001', status: 'completed' });
    await api.createTask({ title: 'Nowhere', status: 'blocked' });

    const answer = await api.get(`/api/v1/projects/${project.id}/summary`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({
      project_id: project.id,
      total: 6,
      by_status: { pending: 2, in_progress: 1, blocked: 0, completed: 2, cancelled: 1 },
      by_priority: { low: 2, medium: 1, high: 2, critical: 1 },
      completion_rate: 0.4,
    } satisfies ProjectSummary);

    // Completing one more moves the counts and the rate.
    const pending = (await api.get('/api/v1/tasks', { query: { project_id: project.id, status: 'pending', limit: 1 } })).body as {
      items: { id: string }[];
    };
    await api.post(`/api/v1/tasks/${pending.items[0]?.id ?? ''}/complete`);
    const after = (await api.get(`/api/v1/projects/${project.id}/summary`)).body as ProjectSummary;
    expect(after.by_status).toEqual({ pending: 1, in_progress: 1, blocked: 0, completed: 3, cancelled: 1 });
    expect(after.completion_rate).toBe(0.6);
  });

  it('has zeros and a completion_rate of 0 for a project without tasks, or with only cancelled ones', async () => {
    const empty = await createProject({ name: 'Empty summary' });
    expect((await api.get(`/api/v1/projects/${empty.id}/summary`)).body).toEqual({
      project_id: empty.id,
      total: 0,
      by_status: { pending: 0, in_progress: 0, blocked: 0, completed: 0, cancelled: 0 },
      by_priority: { low: 0, medium: 0, high: 0, critical: 0 },
      completion_rate: 0,
    });
    await api.createTask({ title: 'Dropped', project_id: empty.id, status: 'cancelled' });
    expect((await api.get(`/api/v1/projects/${empty.id}/summary`)).body).toMatchObject({ total: 1, completion_rate: 0 });
  });
});
