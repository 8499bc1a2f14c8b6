// Idempotency-Key: replays, reuse with another request, bulk, and keys per user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkResponse, Task } from '../../src/engines/stateful/types.js';
import { type Api, type RunningMockServer, apiAs, expectProblem, fieldsOf, start } from './harness.js';

let server: RunningMockServer;
let admin: Api;
let member: Api;

beforeAll(async () => {
  server = await start();
  admin = await apiAs(server, 'admin');
  member = await apiAs(server, 'member');
});

afterAll(async () => {
  await server.stop();
});

async function totalTasks(api: Api): Promise<number> {
  const answer = await api.get('/api/v1/tasks', { query: { limit: 1 } });
  return (answer.body as { total: number }).total;
}

describe('createTask with Idempotency-Key', () => {
  it('replays the first answer for the same key and body, creating the task once', async () => {
    const before = await totalTasks(admin);
    const key = { 'idempotency-key': 'create-0000000001' };
    const body = { title: 'Only once', priority: 'high' };

    const first = await admin.post('/api/v1/tasks', body, { headers: key });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const task = first.body as Task;

    const second = await admin.post('/api/v1/tasks', body, { headers: key });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(task);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('location')).toBe(first.headers.get('location'));

    const third = await admin.post('/api/v1/tasks', body, { headers: key });
    expect((third.body as Task).id).toBe(task.id);

    expect(await totalTasks(admin)).toBe(before + 1);
    const matches = (await admin.get('/api/v1/tasks', { query: { q: 'Only once' } })).body as { total: number };
    expect(matches.total).toBe(1);
  });

  it('replays the first answer even after the task changed', async () => {
    const key = { 'idempotency-key': 'create-0000000002' };
    const first = await admin.post('/api/v1/tasks', { title: 'Replay snapshot' }, { headers: key });
    const task = first.body as Task;
    await admin.patch(`/api/v1/tasks/${task.id}`, { title: 'Changed since' });
    const again = await admin.post('/api/v1/tasks', { title: 'Replay snapshot' }, { headers: key });
    expect(again.body).toEqual(task);
  });

  it('answers 422 for the same key with a different body, and creates nothing', async () => {
    const key = { 'idempotency-key': 'create-0000000003' };
    expect((await admin.post('/api/v1/tasks', { title: 'First body' }, { headers: key })).status).toBe(201);
    const before = await totalTasks(admin);
    const reused = await admin.post('/api/v1/tasks', { title: 'Second body' }, { headers: key });
    const problem = expectProblem(reused, 422);
    expect(problem.detail).toContain('create-0000000003');
    expect(reused.headers.get('idempotent-replayed')).toBeNull();
    expect(await totalTasks(admin)).toBe(before);
  });

  it('treats requests without a key as distinct', async () => {
    const before = await totalTasks(admin);
    const a = await admin.createTask({ title: 'No key' });
    const b = await admin.createTask({ title: 'No key' });
    expect(a.id).not.toBe(b.id);
    expect(await totalTasks(admin)).toBe(before + 2);
  });

  it('replays a client error the handler gave for the key', async () => {
    const key = { 'idempotency-key': 'create-0000000004' };
    const first = await admin.post('/api/v1/tasks', { title: 'Bad project', project_id: 'PRJ-999' }, { headers: key });
    expect(fieldsOf(first)).toEqual(['project_id']);
    const second = await admin.post('/api/v1/tasks', { title: 'Bad project', project_id: 'PRJ-999' }, { headers: key });
    expect(second.status).toBe(422);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('rejects a key shorter than 8 characters', async () => {
    const before = server.taskCount();
    expect(fieldsOf(await admin.post('/api/v1/tasks', { title: 'Short key' }, { headers: { 'idempotency-key': 'short' } }))).toEqual([
      'Idempotency-Key',
    ]);
    expect(server.taskCount()).toBe(before);
  });
});

describe('keys per user and per operation', () => {
  it('does not let two users with the same key collide', async () => {
    const key = { 'idempotency-key': 'shared-key-000001' };
    const mine = await admin.post('/api/v1/tasks', { title: 'Admin task' }, { headers: key });
    const theirs = await member.post('/api/v1/tasks', { title: 'Member task' }, { headers: key });
    expect(mine.status).toBe(201);
    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect((theirs.body as Task).id).not.toBe((mine.body as Task).id);
    expect((theirs.body as Task).title).toBe('Member task');

    // And the same body from both users still makes two tasks.
    const key2 = { 'idempotency-key': 'shared-key-000002' };
    const a = await admin.post('/api/v1/tasks', { title: 'Same body' }, { headers: key2 });
    const b = await member.post('/api/v1/tasks', { title: 'Same body' }, { headers: key2 });
    expect((a.body as Task).id).not.toBe((b.body as Task).id);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keeps keys of different operations apart', async () => {
    const key = { 'idempotency-key': 'per-operation-0001' };
    const task = (await admin.post('/api/v1/tasks', { title: 'Key on create' }, { headers: key })).body as Task;
    const completed = await admin.post(`/api/v1/tasks/${task.id}/complete`, {}, { headers: key });
    expect(completed.status, completed.text).toBe(200);
    expect(completed.headers.get('idempotent-replayed')).toBeNull();
    expect((completed.body as Task).status).toBe('completed');
    // Completing again with the same key replays the 200 instead of answering 409.
    const again = await admin.post(`/api/v1/tasks/${task.id}/complete`, {}, { headers: key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('bulkTasks with Idempotency-Key', () => {
  it('applies the operations once and replays the results', async () => {
    const before = await totalTasks(admin);
    const key = { 'idempotency-key': 'bulk-key-00000001' };
    const body = { operations: [{ op: 'create', data: { title: 'Bulk once 1' } }, { op: 'create', data: { title: 'Bulk once 2' } }] };
    const first = await admin.post('/api/v1/tasks/bulk', body, { headers: key });
    expect(first.status, first.text).toBe(200);
    expect((first.body as BulkResponse).succeeded).toBe(2);

    const second = await admin.post('/api/v1/tasks/bulk', body, { headers: key });
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await totalTasks(admin)).toBe(before + 2);

    const reused = await admin.post('/api/v1/tasks/bulk', { operations: [{ op: 'create', data: { title: 'Other' } }] }, { headers: key });
    expectProblem(reused, 422);
    expect(await totalTasks(admin)).toBe(before + 2);
  });
});
