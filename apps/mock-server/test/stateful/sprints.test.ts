// Sprints: CRUD with ETags, the planned → active → completed lifecycle, task assignment,
// and what deleting a sprint does to its tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Sprint, Task, TaskHistoryEntry } from '../../src/engines/stateful/types.js';
import { type Api, Clock, type RunningMockServer, apiAs, expectProblem, fieldsOf, start } from './harness.js';

const clock = new Clock('2026-03-02T09:00:00.000Z');
let server: RunningMockServer;
let api: Api;
let projectCount = 0;

beforeAll(async () => {
  server = await start({ now: clock.now });
  api = await apiAs(server, 'admin');
});

afterAll(async () => {
  await server.stop();
});

async function newProject(): Promise<Project> {
  projectCount += 1;
  const answer = await api.post('/api/v1/projects', { name: `Sprint test project ${projectCount}` });
  expect(answer.status, answer.text).toBe(201);
  return answer.body as Project;
}

async function newSprint(projectId: string, name = 'Sprint', start_date = '2026-03-02', end_date = '2026-03-06'): Promise<Sprint> {
  const answer = await api.post('/api/v1/sprints', { name, project_id: projectId, start_date, end_date });
  expect(answer.status, answer.text).toBe(201);
  return answer.body as Sprint;
}

describe('CRUD with ETags', () => {
  it('creates a planned sprint, updates it with If-Match, answers 412 to a stale one, and deletes it', async () => {
    const project = await newProject();
    const created = await api.post('/api/v1/sprints', {
      name: 'Sprint 12',
      project_id: project.id,
      goal: 'Ship export',
      start_date: '2026-03-02',
      end_date: '2026-03-13',
    });
    expect(created.status, created.text).toBe(201);
    const sprint = created.body as Sprint;
    expect(sprint).toEqual({
      id: expect.stringMatching(/^SPR-\d{3}$/) as unknown,
      name: 'Sprint 12',
      project_id: project.id,
      goal: 'Ship export',
      status: 'planned',
      start_date: '2026-03-02',
      end_date: '2026-03-13',
      started_at: null,
      completed_at: null,
      created_at: clock.iso(),
      updated_at: clock.iso(),
      version: 1,
    });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/v1/sprints/${sprint.id}`);
    expect((await api.get(`/api/v1/sprints/${sprint.id}`)).headers.get('etag')).toBe('"1"');

    const updated = await api.patch(`/api/v1/sprints/${sprint.id}`, { end_date: '2026-03-16' }, { headers: { 'if-match': '"1"' } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ end_date: '2026-03-16', version: 2 });
    expect(updated.headers.get('etag')).toBe('"2"');

    const stale = await api.patch(`/api/v1/sprints/${sprint.id}`, { name: 'Lost' }, { headers: { 'if-match': '"1"' } });
    expectProblem(stale, 412);
    expect(stale.headers.get('etag')).toBe('"2"');

    const same = await api.patch(`/api/v1/sprints/${sprint.id}`, { end_date: '2026-03-16' });
    expect(same.headers.get('etag')).toBe('"2"');

    expectProblem(await api.delete(`/api/v1/sprints/${sprint.id}`, { headers: { 'if-match': '"1"' } }), 412);
    expect((await api.delete(`/api/v1/sprints/${sprint.id}`, { headers: { 'if-match': '"2"' } })).status).toBe(204);
    expectProblem(await api.get(`/api/v1/sprints/${sprint.id}`), 404);
  });

  it('answers 422 naming end_date when it is before start_date, on create and update', async () => {
    const project = await newProject();
    expect(
      fieldsOf(await api.post('/api/v1/sprints', { name: 'Backwards', project_id: project.id, start_date: '2026-03-06', end_date: '2026-03-02' })),
    ).toEqual(['end_date']);
    const sprint = await newSprint(project.id);
    expect(fieldsOf(await api.patch(`/api/v1/sprints/${sprint.id}`, { start_date: '2026-03-09' }))).toEqual(['end_date']);
    expect((await api.get(`/api/v1/sprints/${sprint.id}`)).body).toEqual(sprint);
  });

  it('answers 404 for a sprint of a project that does not exist', async () => {
    expectProblem(await api.post('/api/v1/sprints', { name: 'x', project_id: 'PRJ-999', start_date: '2026-03-02', end_date: '2026-03-06' }), 404);
  });

  it('lists sprints by project and status, latest start first', async () => {
    const project = await newProject();
    const early = await newSprint(project.id, 'Early', '2026-01-05', '2026-01-16');
    const late = await newSprint(project.id, 'Late', '2026-03-02', '2026-03-13');
    const middle = await newSprint(project.id, 'Middle', '2026-02-02', '2026-02-13');
    await api.post(`/api/v1/sprints/${middle.id}/start`);
    const all = (await api.get('/api/v1/sprints', { query: { project_id: project.id } })).body as { items: Sprint[]; total: number };
    expect(all.total).toBe(3);
    expect(all.items.map((sprint) => sprint.name)).toEqual(['Late', 'Middle', 'Early']);
    const planned = (await api.get('/api/v1/sprints', { query: { project_id: project.id, status: 'planned' } })).body as { items: Sprint[] };
    expect(planned.items.map((sprint) => sprint.id)).toEqual([late.id, early.id]);
  });
});

describe('lifecycle', () => {
  it('goes planned → active → completed, with timestamps from the clock', async () => {
    const project = await newProject();
    const sprint = await newSprint(project.id);

    clock.set('2026-03-02T08:30:00.000Z');
    const started = await api.post(`/api/v1/sprints/${sprint.id}/start`);
    expect(started.status, started.text).toBe(200);
    expect(started.body).toMatchObject({ status: 'active', started_at: '2026-03-02T08:30:00.000Z', completed_at: null, version: 2 });
    expect(started.headers.get('etag')).toBe('"2"');

    clock.set('2026-03-06T17:00:00.000Z');
    const completed = await api.post(`/api/v1/sprints/${sprint.id}/complete`);
    expect(completed.status, completed.text).toBe(200);
    expect(completed.body).toMatchObject({
      status: 'completed',
      started_at: '2026-03-02T08:30:00.000Z',
      completed_at: '2026-03-06T17:00:00.000Z',
      version: 3,
    });

    expectProblem(await api.post(`/api/v1/sprints/${sprint.id}/start`), 409);
    expectProblem(await api.post(`/api/v1/sprints/${sprint.id}/complete`), 409);
    expect((await api.get(`/api/v1/sprints/${sprint.id}`)).body).toEqual(completed.body);
  });

  it('answers 409 to starting a second sprint while one is active in the same project', async () => {
    const project = await newProject();
    const first = await newSprint(project.id, 'First');
    const second = await newSprint(project.id, 'Second', '2026-03-09', '2026-03-13');
    expect((await api.post(`/api/v1/sprints/${first.id}/start`)).status).toBe(200);
    const refused = await api.post(`/api/v1/sprints/${second.id}/start`);
    expect(expectProblem(refused, 409).detail).toContain(first.id);
    expect((await api.get(`/api/v1/sprints/${second.id}`)).body).toMatchObject({ status: 'planned', version: 1 });

    // A sprint of another project can start meanwhile.
    const other = await newSprint((await newProject()).id, 'Elsewhere');
    expect((await api.post(`/api/v1/sprints/${other.id}/start`)).status).toBe(200);

    // Once the first is completed, the second can start.
    expect((await api.post(`/api/v1/sprints/${first.id}/complete`)).status).toBe(200);
    expect((await api.post(`/api/v1/sprints/${second.id}/start`)).status).toBe(200);
  });

  it('answers 409 to completing a planned sprint', async () => {
    const sprint = await newSprint((await newProject()).id);
    expectProblem(await api.post(`/api/v1/sprints/${sprint.id}/complete`), 409);
    expect((await api.get(`/api/v1/sprints/${sprint.id}`)).body).toMatchObject({ status: 'planned', completed_at: null });
  });

  it('answers 404 to starting a sprint that does not exist', async () => {
    expectProblem(await api.post('/api/v1/sprints/SPR-999/start'), 404);
  });
});

describe('assigning tasks', () => {
  it('assigns tasks of the project and tasks without a project (which join it)', async () => {
    const project = await newProject();
    const sprint = await newSprint(project.id);
    const own = await api.createTask({ title: 'Own', project_id: project.id });
    const loose = await api.createTask({ title: 'Loose' });
    const answer = await api.post(`/api/v1/sprints/${sprint.id}/tasks`, { task_ids: [own.id, loose.id] });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ sprint_id: sprint.id, task_ids: [own.id, loose.id] });
    expect(await api.getTask(own.id)).toMatchObject({ sprint_id: sprint.id, project_id: project.id, version: 2 });
    expect(await api.getTask(loose.id)).toMatchObject({ sprint_id: sprint.id, project_id: project.id, version: 2 });
    const listed = (await api.get('/api/v1/tasks', { query: { sprint_id: sprint.id } })).body as { items: Task[] };
    expect(listed.items.map((task) => task.id)).toEqual([own.id, loose.id]);
  });

  it('answers 404 and assigns nothing when one task does not exist', async () => {
    const project = await newProject();
    const sprint = await newSprint(project.id);
    const task = await api.createTask({ title: 'Would be assigned', project_id: project.id });
    const answer = await api.post(`/api/v1/sprints/${sprint.id}/tasks`, { task_ids: [task.id, 'TASK-999999'] });
    expect(expectProblem(answer, 404).detail).toContain('TASK-999999');
    expect(await api.getTask(task.id)).toEqual(task);
  });

  it('answers 422 and assigns nothing when a task belongs to another project', async () => {
    const project = await newProject();
    const sprint = await newSprint(project.id);
    const mine = await api.createTask({ title: 'Mine', project_id: project.id });
    const foreign = await api.createTask({ title: 'Foreign', project_id: 'PRJ-001' });
    const answer = await api.post(`/api/v1/sprints/${sprint.id}/tasks`, { task_ids: [mine.id, foreign.id] });
    expect(expectProblem(answer, 422).detail).toContain(foreign.id);
    expect(fieldsOf(answer)).toEqual(['task_ids']);
    expect(await api.getTask(mine.id)).toEqual(mine);
    expect(await api.getTask(foreign.id)).toEqual(foreign);
  });

  it('answers 404 for a sprint that does not exist and 422 for duplicate ids', async () => {
    const task = await api.createTask({ title: 'Any' });
    expectProblem(await api.post('/api/v1/sprints/SPR-999/tasks', { task_ids: [task.id] }), 404);
    const sprint = await newSprint((await newProject()).id);
    expect(fieldsOf(await api.post(`/api/v1/sprints/${sprint.id}/tasks`, { task_ids: [task.id, task.id] }))).toEqual(['task_ids']);
  });

  it('unassigns a task, and answers 404 when the task is not in the sprint', async () => {
    const project = await newProject();
    const sprint = await newSprint(project.id);
    const other = await newSprint(project.id, 'Other');
    const task = await api.createTask({ title: 'In and out', project_id: project.id, sprint_id: sprint.id });
    const outsider = await api.createTask({ title: 'Outsider', project_id: project.id, sprint_id: other.id });

    expect((await api.delete(`/api/v1/sprints/${sprint.id}/tasks/${task.id}`)).status).toBe(204);
    expect(await api.getTask(task.id)).toMatchObject({ sprint_id: null, project_id: project.id, version: 2 });
    expectProblem(await api.delete(`/api/v1/sprints/${sprint.id}/tasks/${task.id}`), 404);
    expectProblem(await api.delete(`/api/v1/sprints/${sprint.id}/tasks/${outsider.id}`), 404);
    expect(await api.getTask(outsider.id)).toEqual(outsider);
    expectProblem(await api.delete(`/api/v1/sprints/${sprint.id}/tasks/TASK-999999`), 404);
  });
});

describe('deleting a sprint', () => {
  it('keeps its tasks, clears their sprint_id and records the change in their history', async () => {
    const project = await newProject();
    const sprint = await newSprint(project.id);
    const a = await api.createTask({ title: 'Stays A', project_id: project.id, sprint_id: sprint.id });
    const b = await api.createTask({ title: 'Stays B', project_id: project.id, sprint_id: sprint.id });
    const unrelated = await api.createTask({ title: 'Unrelated', project_id: project.id });

    expect((await api.delete(`/api/v1/sprints/${sprint.id}`)).status).toBe(204);
    for (const task of [a, b]) {
      expect(await api.getTask(task.id)).toMatchObject({ sprint_id: null, project_id: project.id, version: 2 });
      const history = (await api.get(`/api/v1/tasks/${task.id}/history`)).body as { items: TaskHistoryEntry[] };
      expect(history.items.at(-1)).toMatchObject({ action: 'updated', changes: [{ field: 'sprint_id', from: sprint.id, to: null }] });
    }
    expect(await api.getTask(unrelated.id)).toEqual(unrelated);
    expect((await api.get('/api/v1/tasks', { query: { sprint_id: sprint.id } })).body).toMatchObject({ total: 0 });
  });
});
