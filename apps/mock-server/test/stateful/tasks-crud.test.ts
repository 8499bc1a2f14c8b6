// Tasks one at a time: ETags and If-Match, no-op updates, delete, history, completion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task, TaskHistoryEntry } from '../../src/engines/stateful/types.js';
import { type Api, Clock, type RunningMockServer, apiAs, expectProblem, start } from './harness.js';

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

async function historyOf(id: string): Promise<TaskHistoryEntry[]> {
  const answer = await api.get(`/api/v1/tasks/${id}/history`);
  expect(answer.status, answer.text).toBe(200);
  const page = answer.body as { items: TaskHistoryEntry[]; total: number };
  expect(page.total).toBe(page.items.length);
  return page.items;
}

describe('create, read, update with If-Match', () => {
  it('creates a task with defaults, an ETag of its version and a Location', async () => {
    const answer = await api.post('/api/v1/tasks', { title: 'Write the release notes', project_id: 'PRJ-001', tags: ['docs'] });
    expect(answer.status, answer.text).toBe(201);
    const task = answer.body as Task;
    expect(task).toEqual({
      id: expect.stringMatching(/^TASK-\d{6}$/) as unknown,
      title: 'Write the release notes',
      description: null,
      status: 'pending',
      priority: 'medium',
      project_id: 'PRJ-001',
      sprint_id: null,
      assignee: null,
      tags: ['docs'],
      due_date: null,
      estimate_hours: null,
      completed_at: null,
      completion_notes: null,
      created_at: clock.iso(),
      updated_at: clock.iso(),
      version: 1,
    });
    expect(answer.headers.get('etag')).toBe('"1"');
    expect(answer.headers.get('location')).toBe(`/api/v1/tasks/${task.id}`);

    const read = await api.get(`/api/v1/tasks/${task.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(task);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('updates with a current If-Match, then answers 412 with the current ETag to a stale one', async () => {
    const task = await api.createTask({ title: 'Draft', priority: 'low' });
    clock.advance(60);
    const updated = await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Final', priority: 'high' }, { headers: { 'if-match': '"1"' } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    expect(updated.body).toMatchObject({ id: task.id, title: 'Final', priority: 'high', version: 2, updated_at: clock.iso(), created_at: task.created_at });

    const stale = await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Lost update' }, { headers: { 'if-match': '"1"' } });
    const problem = expectProblem(stale, 412);
    expect(problem.title).toBe('Precondition Failed');
    expect(stale.headers.get('etag')).toBe('"2"');
    // Nothing changed.
    const after = await api.get(`/api/v1/tasks/${task.id}`);
    expect(after.body).toMatchObject({ title: 'Final', version: 2 });
    expect(after.headers.get('etag')).toBe('"2"');
  });

  it('accepts "*", a list of tags containing the current one, and a weak tag as If-Match', async () => {
    const task = await api.createTask({ title: 'Tags' });
    const star = await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Tags 2' }, { headers: { 'if-match': '*' } });
    expect(star.headers.get('etag')).toBe('"2"');
    const list = await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Tags 3' }, { headers: { 'if-match': '"7", "2"' } });
    expect(list.headers.get('etag')).toBe('"3"');
    const weak = await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Tags 4' }, { headers: { 'if-match': 'W/"3"' } });
    expect(weak.status, weak.text).toBe(200);
    expect(weak.headers.get('etag')).toBe('"4"');
  });

  it('keeps the version, updated_at and history when a PATCH changes nothing', async () => {
    const task = await api.createTask({ title: 'Same', priority: 'high', tags: ['a', 'b'], assignee: 'alice' });
    clock.advance(60);
    const answer = await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Same', priority: 'high', tags: ['a', 'b'], assignee: 'alice' });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual(task);
    expect(answer.headers.get('etag')).toBe('"1"');
    expect((await historyOf(task.id)).map((entry) => entry.action)).toEqual(['created']);

    // A real change after it does bump the version.
    const changed = await api.patch(`/api/v1/tasks/${task.id}`, { tags: ['a'] });
    expect(changed.body).toMatchObject({ tags: ['a'], version: 2 });
  });

  it('clears a nullable field with null', async () => {
    const task = await api.createTask({ title: 'Clear me', description: 'text', assignee: 'bob', due_date: '2026-04-01' });
    const answer = await api.patch(`/api/v1/tasks/${task.id}`, { description: null, assignee: null, due_date: null });
    expect(answer.body).toMatchObject({ description: null, assignee: null, due_date: null, version: 2 });
  });

  it('sets completed_at when PATCH moves the status to completed and clears it when it moves away', async () => {
    const task = await api.createTask({ title: 'Status by PATCH' });
    clock.advance(30);
    const done = (await api.patch(`/api/v1/tasks/${task.id}`, { status: 'completed' })).body as Task;
    expect(done.completed_at).toBe(clock.iso());
    const reopened = (await api.patch(`/api/v1/tasks/${task.id}`, { status: 'in_progress' })).body as Task;
    expect(reopened.completed_at).toBeNull();
  });
});

describe('delete', () => {
  it('answers 412 to a stale If-Match and keeps the task, then deletes it; reads answer 404 afterwards', async () => {
    const task = await api.createTask({ title: 'Short-lived' });
    await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Short-lived 2' });

    const stale = await api.delete(`/api/v1/tasks/${task.id}`, { headers: { 'if-match': '"1"' } });
    expectProblem(stale, 412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect((await api.get(`/api/v1/tasks/${task.id}`)).status).toBe(200);

    const deleted = await api.delete(`/api/v1/tasks/${task.id}`, { headers: { 'if-match': '"2"' } });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');

    expectProblem(await api.get(`/api/v1/tasks/${task.id}`), 404);
    expectProblem(await api.patch(`/api/v1/tasks/${task.id}`, { title: 'again' }), 404);
    expectProblem(await api.delete(`/api/v1/tasks/${task.id}`), 404);
    expectProblem(await api.post(`/api/v1/tasks/${task.id}/complete`), 404);
  });

  it('removes the task from lists', async () => {
    const task = await api.createTask({ title: 'Listed then gone zq9' });
    const before = (await api.get('/api/v1/tasks', { query: { q: 'zq9' } })).body as { total: number };
    expect(before.total).toBe(1);
    await api.delete(`/api/v1/tasks/${task.id}`);
    const after = (await api.get('/api/v1/tasks', { query: { q: 'zq9' } })).body as { total: number; items: Task[] };
    expect(after).toMatchObject({ total: 0, items: [] });
  });
});

describe('history', () => {
  it('records created, updated, completed and deleted with the changed fields, oldest first, readable after delete', async () => {
    clock.set('2026-03-03T08:00:00.000Z');
    const created = await api.createTask({ title: 'Audited', priority: 'low', assignee: 'alice' });
    const createdAt = clock.iso();

    clock.advance(60);
    await api.patch(`/api/v1/tasks/${created.id}`, { title: 'Audited task', priority: 'high', assignee: null });
    const updatedAt = clock.iso();

    clock.advance(60);
    await api.post(`/api/v1/tasks/${created.id}/complete`, { completion_notes: 'Shipped.' });
    const completedAt = clock.iso();

    clock.advance(60);
    expect((await api.delete(`/api/v1/tasks/${created.id}`)).status).toBe(204);
    const deletedAt = clock.iso();

    const history = await historyOf(created.id);
    expect(history.map((entry) => entry.action)).toEqual(['created', 'updated', 'completed', 'deleted']);
    for (const entry of history) expect(entry).toMatchObject({ task_id: created.id, actor: 'admin' });
    expect(history.map((entry) => entry.at)).toEqual([createdAt, updatedAt, completedAt, deletedAt]);
    const ids = history.map((entry) => entry.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(4);

    expect(history[0]?.changes).toEqual([]);
    const updateChanges = history[1]?.changes ?? [];
    expect(updateChanges).toHaveLength(3);
    expect(updateChanges).toEqual(
      expect.arrayContaining([
        { field: 'title', from: 'Audited', to: 'Audited task' },
        { field: 'priority', from: 'low', to: 'high' },
        { field: 'assignee', from: 'alice', to: null },
      ]),
    );
    // Bookkeeping fields are not changes.
    const completeChanges = history[2]?.changes ?? [];
    expect(completeChanges.map((change) => change.field).sort()).toEqual(['completed_at', 'completion_notes', 'status']);
    expect(completeChanges).toEqual(
      expect.arrayContaining([
        { field: 'status', from: 'pending', to: 'completed' },
        { field: 'completed_at', from: null, to: completedAt },
        { field: 'completion_notes', from: null, to: 'Shipped.' },
      ]),
    );
    expect(history[3]?.changes).toEqual([]);
  });

  it('pages history with limit and offset', async () => {
    const task = await api.createTask({ title: 'Many changes' });
    for (let index = 1; index <= 4; index++) await api.patch(`/api/v1/tasks/${task.id}`, { title: `Many changes ${index}` });
    const answer = await api.get(`/api/v1/tasks/${task.id}/history`, { query: { limit: 2, offset: 1 } });
    const page = answer.body as { items: TaskHistoryEntry[]; total: number; limit: number; offset: number };
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 1 });
    expect(page.items.map((entry) => entry.changes[0]?.to)).toEqual(['Many changes 1', 'Many changes 2']);
  });

  it('answers 404 for a task that never existed', async () => {
    expectProblem(await api.get('/api/v1/tasks/TASK-999999/history'), 404);
  });
});

describe('completeTask', () => {
  it('sets status, completed_at and notes, and bumps the version', async () => {
    const task = await api.createTask({ title: 'Finish me', status: 'in_progress' });
    clock.advance(3600);
    const answer = await api.post(`/api/v1/tasks/${task.id}/complete`, { completion_notes: 'Published on the blog.' });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'completed',
      completed_at: clock.iso(),
      completion_notes: 'Published on the blog.',
      updated_at: clock.iso(),
      version: 2,
    });
    expect(answer.headers.get('etag')).toBe('"2"');
    expect(await api.getTask(task.id)).toEqual(answer.body);
  });

  it('works without a body (notes stay null)', async () => {
    const task = await api.createTask({ title: 'No notes' });
    const answer = await api.request('POST', `/api/v1/tasks/${task.id}/complete`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ status: 'completed', completion_notes: null, completed_at: clock.iso() });
  });

  it('treats completing a completed task as a no-op: 200 with the task unchanged', async () => {
    const task = await api.createTask({ title: 'Twice' });
    const first = await api.post(`/api/v1/tasks/${task.id}/complete`, { completion_notes: 'first' });
    clock.advance(60);
    const again = await api.post(`/api/v1/tasks/${task.id}/complete`, { completion_notes: 'second' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await api.getTask(task.id)).toEqual(first.body);
    const history = (await api.get(`/api/v1/tasks/${task.id}/history`)).body as { items: { action: string }[] };
    expect(history.items.map((entry) => entry.action)).toEqual(['created', 'completed']);
  });

  it('answers 409 for a cancelled task', async () => {
    const task = await api.createTask({ title: 'Cancelled', status: 'cancelled' });
    expectProblem(await api.post(`/api/v1/tasks/${task.id}/complete`), 409);
    expect((await api.getTask(task.id)).status).toBe('cancelled');
  });

  it('honours If-Match', async () => {
    const task = await api.createTask({ title: 'Guarded' });
    await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Guarded 2' });
    const stale = await api.post(`/api/v1/tasks/${task.id}/complete`, {}, { headers: { 'if-match': '"1"' } });
    expectProblem(stale, 412);
    expect(stale.headers.get('etag')).toBe('"2"');
    const fresh = await api.post(`/api/v1/tasks/${task.id}/complete`, {}, { headers: { 'if-match': '"2"' } });
    expect(fresh.status).toBe(200);
  });

  it('rejects unknown fields in the body', async () => {
    const task = await api.createTask({ title: 'Strict' });
    const answer = await api.post(`/api/v1/tasks/${task.id}/complete`, { notes: 'wrong name' });
    expectProblem(answer, 422);
    expect((answer.body as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual(['notes']);
  });
});
