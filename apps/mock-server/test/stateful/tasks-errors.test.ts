// Problems: 404 bodies and request ids, 422 field errors, 400 for bad JSON, broken references.
// What the framework rejects (413, 415, 431, 405...) is in framework-errors.test.ts.
import { describe, expect, it } from 'vitest';
import type { Problem, Task } from '../../src/engines/stateful/types.js';
import { expectProblem, fieldsOf, serverForFile } from './harness.js';

// Seeded with tasks: 0: PRJ-001 holds SPR-001..003, PRJ-002 holds SPR-004..006.
const live = serverForFile();

describe('404', () => {
  it('is problem+json with type, title, status, detail, request_id and an X-Request-Id header', async () => {
    const answer = await live.api.get('/api/v1/tasks/TASK-999999');
    const problem = expectProblem(answer, 404);
    expect(problem).toMatchObject({ status: 404, title: 'Not Found' });
    expect(problem.type).toMatch(/\S/);
    expect(problem.detail).toContain('TASK-999999');
    expect(problem.request_id).toMatch(/\S/);
    expect(answer.headers.get('x-request-id')).toBe(problem.request_id);
  });

  it('gives each request its own id', async () => {
    const first = expectProblem(await live.api.get('/api/v1/tasks/TASK-999998'), 404);
    const second = expectProblem(await live.api.get('/api/v1/tasks/TASK-999998'), 404);
    expect(first.request_id).not.toBe(second.request_id);
  });

  it('echoes a request id the client sent, in the header and the body', async () => {
    const answer = await live.api.get('/api/v1/tasks/TASK-999999', { headers: { 'x-request-id': 'client-req-42' } });
    expect(expectProblem(answer, 404).request_id).toBe('client-req-42');
    expect(answer.headers.get('x-request-id')).toBe('client-req-42');
  });

  it('echoes the request id on success too', async () => {
    const answer = await live.api.get('/api/v1/tasks', { headers: { 'x-request-id': 'list-req-1' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toBe('list-req-1');
  });

  it.each([
    ['GET', '/api/v1/projects/PRJ-999'],
    ['GET', '/api/v1/projects/PRJ-999/summary'],
    ['GET', '/api/v1/sprints/SPR-999'],
    ['GET', '/api/v1/sprints/SPR-999/burndown'],
    ['DELETE', '/api/v1/tasks/TASK-999999'],
    ['GET', '/api/v1/no-such-thing'],
  ])('%s %s answers a 404 problem', async (method, path) => {
    expectProblem(await live.api.request(method, path), 404);
  });
});

describe('422 validation', () => {
  it('names a missing title', async () => {
    const answer = await live.api.post('/api/v1/tasks', { priority: 'high' });
    expect(fieldsOf(answer)).toEqual(['title']);
    const problem = answer.body as Problem;
    expect(problem.title).toBe('Unprocessable Content');
    expect(problem.errors?.[0]?.message).toMatch(/\S/);
  });

  it('names an unknown field', async () => {
    expect(fieldsOf(await live.api.post('/api/v1/tasks', { title: 'x', colour: 'red' }))).toEqual(['colour']);
  });

  it('names a value outside an enum', async () => {
    const answer = await live.api.post('/api/v1/tasks', { title: 'x', priority: 'urgent' });
    expect(fieldsOf(answer)).toEqual(['priority']);
    expect((answer.body as Problem).errors?.[0]?.message).toContain('critical');
  });

  it('names every bad field at once', async () => {
    const fields = fieldsOf(await live.api.post('/api/v1/tasks', { status: 'done', estimate_hours: -1, due_date: '2026-13-45', extra: 1 }));
    expect(fields.sort()).toEqual(['due_date', 'estimate_hours', 'extra', 'status', 'title']);
  });

  it('rejects an empty title, a too long title and a tag with a space', async () => {
    expect(fieldsOf(await live.api.post('/api/v1/tasks', { title: '' }))).toEqual(['title']);
    expect(fieldsOf(await live.api.post('/api/v1/tasks', { title: 'x'.repeat(201) }))).toEqual(['title']);
    expect(fieldsOf(await live.api.post('/api/v1/tasks', { title: 'x', tags: ['ok', 'not ok'] }))).toEqual(['tags.1']);
  });

  it('rejects an empty PATCH body and a PATCH of a read-only field', async () => {
    const task = await live.api.createTask({ title: 'Patch target' });
    expectProblem(await live.api.patch(`/api/v1/tasks/${task.id}`, {}), 422);
    expect(fieldsOf(await live.api.patch(`/api/v1/tasks/${task.id}`, { version: 9 }))).toEqual(['version']);
    expect(fieldsOf(await live.api.patch(`/api/v1/tasks/${task.id}`, { id: 'TASK-000001' }))).toEqual(['id']);
    expect(await live.api.getTask(task.id)).toEqual(task);
  });

  it('rejects a missing body', async () => {
    expect(fieldsOf(await live.api.request('POST', '/api/v1/tasks'))).toEqual(['body']);
  });

  it('rejects a malformed id in the path', async () => {
    expect(fieldsOf(await live.api.get('/api/v1/tasks/123'))).toEqual(['task_id']);
  });

  it('creates nothing when validation fails', async () => {
    const before = live.server.taskCount();
    await live.api.post('/api/v1/tasks', { title: 'x', priority: 'urgent' });
    expect(live.server.taskCount()).toBe(before);
  });
});

describe('400 for malformed JSON', () => {
  it('answers malformed JSON with a 400 problem', async () => {
    const before = live.server.taskCount();
    const answer = await live.api.request('POST', '/api/v1/tasks', { rawBody: '{"title": "unterminated' });
    const problem = expectProblem(answer, 400);
    expect(problem.title).toBe('Bad Request');
    expect(live.server.taskCount()).toBe(before);
  });

});

describe('references between resources', () => {
  it('answers 422 naming project_id for a project that does not exist', async () => {
    const before = live.server.taskCount();
    const answer = await live.api.post('/api/v1/tasks', { title: 'Orphan', project_id: 'PRJ-999' });
    expect(fieldsOf(answer)).toEqual(['project_id']);
    expect((answer.body as Problem).detail).toContain('PRJ-999');
    expect(live.server.taskCount()).toBe(before);
  });

  it('answers 422 naming sprint_id for a sprint of another project', async () => {
    const answer = await live.api.post('/api/v1/tasks', { title: 'Crossed', project_id: 'PRJ-001', sprint_id: 'SPR-004' });
    expect(fieldsOf(answer)).toEqual(['sprint_id']);
  });

  it('answers 422 naming sprint_id for a sprint that does not exist', async () => {
    expect(fieldsOf(await live.api.post('/api/v1/tasks', { title: 'Lost', sprint_id: 'SPR-999' }))).toEqual(['sprint_id']);
  });

  it('takes the project from the sprint when only the sprint is given', async () => {
    const task = await live.api.createTask({ title: 'Sprint only', sprint_id: 'SPR-005' });
    expect(task).toMatchObject({ project_id: 'PRJ-002', sprint_id: 'SPR-005' });
  });

  it('checks references on PATCH too, against the merged task', async () => {
    const task = await live.api.createTask({ title: 'Movable', project_id: 'PRJ-001', sprint_id: 'SPR-002' });
    // Moving to another project while keeping a sprint of the old one is inconsistent.
    expect(fieldsOf(await live.api.patch(`/api/v1/tasks/${task.id}`, { project_id: 'PRJ-002' }))).toEqual(['sprint_id']);
    expect(fieldsOf(await live.api.patch(`/api/v1/tasks/${task.id}`, { project_id: 'PRJ-999' }))).toEqual(['project_id']);
    expect(fieldsOf(await live.api.patch(`/api/v1/tasks/${task.id}`, { sprint_id: 'SPR-004' }))).toEqual(['sprint_id']);
    expect(await live.api.getTask(task.id)).toEqual(task);
    const moved = await live.api.patch(`/api/v1/tasks/${task.id}`, { project_id: 'PRJ-002', sprint_id: 'SPR-005' });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ project_id: 'PRJ-002', sprint_id: 'SPR-005', version: 2 });
  });

  it('lets a task leave its project', async () => {
    const task = await live.api.createTask({ title: 'Leaving', project_id: 'PRJ-001' });
    const answer = await live.api.patch(`/api/v1/tasks/${task.id}`, { project_id: null });
    expect((answer.body as Task).project_id).toBeNull();
  });
});

describe('401 without a token', () => {
  it('answers with a problem and WWW-Authenticate', async () => {
    const anonymous = await fetch(`${live.server.url}/api/v1/tasks/TASK-000001`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
