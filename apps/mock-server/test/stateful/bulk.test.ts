// bulkTasks: the 500-operation limit, mixed operations with partial failure, results in order.
import { describe, expect, it } from 'vitest';
import type { BulkResponse, Task } from '../../src/engines/stateful/types.js';
import { expectProblem, fieldsOf, serverForFile } from './harness.js';

const live = serverForFile();

const creates = (count: number, prefix: string): unknown[] =>
  Array.from({ length: count }, (_, index) => ({ op: 'create', data: { title: `${prefix} ${index}` } }));

describe('size limits', () => {
  it('applies 500 operations', async () => {
    const before = live.server.taskCount();
    const answer = await live.api.post('/api/v1/tasks/bulk', { operations: creates(500, 'Bulk 500') });
    expect(answer.status, answer.text).toBe(200);
    const body = answer.body as BulkResponse;
    expect(body).toMatchObject({ succeeded: 500, failed: 0 });
    expect(body.results).toHaveLength(500);
    expect(body.results.map((result) => result.index)).toEqual(Array.from({ length: 500 }, (_, index) => index));
    expect(body.results.every((result) => result.op === 'create' && result.status === 201)).toBe(true);
    expect(body.results[499]?.task?.title).toBe('Bulk 500 499');
    expect(live.server.taskCount()).toBe(before + 500);
    // Ids follow the order of the operations.
    const ids = body.results.map((result) => result.id ?? '');
    expect([...ids].sort()).toEqual(ids);
  });

  it('answers 422 naming operations for 501 operations, and applies none', async () => {
    const before = live.server.taskCount();
    expect(fieldsOf(await live.api.post('/api/v1/tasks/bulk', { operations: creates(501, 'Bulk 501') }))).toEqual(['operations']);
    expect(live.server.taskCount()).toBe(before);
  });

  it('answers 422 for no operations', async () => {
    expect(fieldsOf(await live.api.post('/api/v1/tasks/bulk', { operations: [] }))).toEqual(['operations']);
  });

  it('answers 422 for a malformed operation, naming where it is, and applies none', async () => {
    const before = live.server.taskCount();
    const answer = await live.api.post('/api/v1/tasks/bulk', {
      operations: [{ op: 'create', data: { title: 'Fine' } }, { op: 'create', data: { priority: 'high' } }],
    });
    // Dotted, as the contract's FieldError describes it.
    expect(fieldsOf(answer)).toEqual(['operations.1.data.title']);
    expect(live.server.taskCount()).toBe(before);
    expectProblem(await live.api.post('/api/v1/tasks/bulk', { operations: [{ op: 'upsert', id: 'TASK-000001' }] }), 422);
  });
});

describe('mixed operations with partial failure', () => {
  it('applies each operation on its own and reports every result in order', async () => {
    const toUpdate = await live.api.createTask({ title: 'To update' });
    const toDelete = await live.api.createTask({ title: 'To delete' });
    const staleTarget = await live.api.createTask({ title: 'Stale target' });
    await live.api.patch(`/api/v1/tasks/${staleTarget.id}`, { title: 'Stale target v2' });
    const before = live.server.taskCount();

    const answer = await live.api.post('/api/v1/tasks/bulk', {
      operations: [
        { op: 'create', data: { title: 'Bulk created', priority: 'critical' } },
        { op: 'update', id: toUpdate.id, if_match: '"1"', data: { status: 'in_progress' } },
        { op: 'update', id: 'TASK-999999', data: { title: 'Nobody' } },
        { op: 'update', id: staleTarget.id, if_match: '"1"', data: { title: 'Lost update' } },
        { op: 'delete', id: toDelete.id },
        { op: 'delete', id: 'TASK-999998' },
        { op: 'create', data: { title: 'Bad reference', project_id: 'PRJ-999' } },
      ],
    });
    expect(answer.status, answer.text).toBe(200);
    const body = answer.body as BulkResponse;
    expect(body.succeeded).toBe(3);
    expect(body.failed).toBe(4);
    expect(body.results.map((result) => [result.index, result.op, result.status])).toEqual([
      [0, 'create', 201],
      [1, 'update', 200],
      [2, 'update', 404],
      [3, 'update', 412],
      [4, 'delete', 204],
      [5, 'delete', 404],
      [6, 'create', 422],
    ]);

    const [created, updated, unknown, stale, deleted, unknownDelete, badCreate] = body.results;
    expect(created?.task).toMatchObject({ title: 'Bulk created', priority: 'critical', version: 1 });
    expect(created?.id).toBe(created?.task?.id);
    expect(created?.error).toBeUndefined();
    expect(updated).toMatchObject({ id: toUpdate.id, task: { status: 'in_progress', version: 2 } });
    expect(unknown).toMatchObject({ id: 'TASK-999999', error: { status: 404, title: 'Not Found' } });
    expect(unknown?.task).toBeUndefined();
    expect(stale).toMatchObject({ id: staleTarget.id, error: { status: 412 } });
    expect(deleted).toMatchObject({ id: toDelete.id });
    expect(deleted?.error).toBeUndefined();
    expect(unknownDelete).toMatchObject({ id: 'TASK-999998', error: { status: 404 } });
    expect(badCreate?.error).toMatchObject({ status: 422, errors: [{ field: 'project_id' }] });
    // Embedded problems carry the request's id.
    const requestId = answer.headers.get('x-request-id');
    for (const result of body.results) if (result.error) expect(result.error.request_id).toBe(requestId);

    // The successful ones are applied, the failed ones are not.
    expect(live.server.taskCount()).toBe(before + 1 - 1);
    expect(await live.api.getTask(created?.id ?? '')).toEqual(created?.task);
    expect(await live.api.getTask(toUpdate.id)).toMatchObject({ status: 'in_progress', version: 2 });
    expectProblem(await live.api.get(`/api/v1/tasks/${toDelete.id}`), 404);
    expect(await live.api.getTask(staleTarget.id)).toMatchObject({ title: 'Stale target v2', version: 2 });
    expect((await live.api.get('/api/v1/tasks', { query: { q: 'Bad reference' } })).body).toMatchObject({ total: 0 });
  });

  it('applies operations in order, so later ones see earlier ones', async () => {
    const task = await live.api.createTask({ title: 'Sequenced' });
    const answer = await live.api.post('/api/v1/tasks/bulk', {
      operations: [
        { op: 'update', id: task.id, if_match: '"1"', data: { title: 'Sequenced 2' } },
        { op: 'update', id: task.id, if_match: '"2"', data: { title: 'Sequenced 3' } },
        { op: 'delete', id: task.id, if_match: '"3"' },
        { op: 'update', id: task.id, data: { title: 'Too late' } },
      ],
    });
    const body = answer.body as BulkResponse;
    expect(body.results.map((result) => result.status)).toEqual([200, 200, 204, 404]);
    expect(body).toMatchObject({ succeeded: 3, failed: 1 });
    const history = (await live.api.get(`/api/v1/tasks/${task.id}/history`)).body as { items: { action: string }[] };
    expect(history.items.map((entry) => entry.action)).toEqual(['created', 'updated', 'updated', 'deleted']);
  });

  it('records bulk changes as the caller', async () => {
    const answer = await live.api.post('/api/v1/tasks/bulk', { operations: [{ op: 'create', data: { title: 'Whose' } }] });
    const id = (answer.body as BulkResponse).results[0]?.id ?? '';
    const history = (await live.api.get(`/api/v1/tasks/${id}/history`)).body as { items: { actor: string }[] };
    expect(history.items[0]?.actor).toBe('admin');
    expect(((await live.api.getTask(id)) satisfies Task).title).toBe('Whose');
  });
});
