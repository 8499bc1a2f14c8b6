import { describe, expect, it } from 'vitest';
import { type BulkRequest, type BulkResponse, type BulkResult, type Problem, ServerError, type Task } from '@dtm/sdk';
import {
  type BulkTarget,
  bulkExitCode,
  chunk,
  collectTargets,
  failuresOf,
  mapConcurrent,
  problemMessage,
  runBulkUpdate,
  updateOperations,
} from '../../../src/lib/tasks/bulk.js';
import { makeTask } from '../../fixtures.js';

const targets = (count: number): BulkTarget[] =>
  Array.from({ length: count }, (_, index) => ({ id: `TASK-${String(index + 1).padStart(6, '0')}`, version: index + 1 }));

describe('chunk', () => {
  it.each([
    { items: 0, size: 100, want: [] },
    { items: 1, size: 100, want: [1] },
    { items: 100, size: 100, want: [100] },
    { items: 101, size: 100, want: [100, 1] },
    { items: 1001, size: 500, want: [500, 500, 1] },
    { items: 7, size: 3, want: [3, 3, 1] },
    { items: 3, size: 1, want: [1, 1, 1] },
  ])('$items items in batches of $size → $want', ({ items, size, want }) => {
    const list = Array.from({ length: items }, (_, index) => index);
    const batches = chunk(list, size);
    expect(batches.map((batch) => batch.length)).toEqual(want);
    expect(batches.flat()).toEqual(list);
  });

  it.each([0, -1, 1.5])('rejects a batch size of %s', (size) => {
    expect(() => chunk([1], size)).toThrow(RangeError);
  });
});

describe('mapConcurrent', () => {
  it.each([
    { items: 10, limit: 1 },
    { items: 10, limit: 4 },
    { items: 3, limit: 8 },
    { items: 0, limit: 4 },
  ])('$items items, at most $limit at a time, results in item order', async ({ items, limit }) => {
    let running = 0;
    let peak = 0;
    const list = Array.from({ length: items }, (_, index) => index);
    const results = await mapConcurrent(list, limit, async (item) => {
      running++;
      peak = Math.max(peak, running);
      // Later items finish first, so order comes from the index, not from finishing.
      await new Promise((resolve) => setTimeout(resolve, (items - item) * 2));
      running--;
      return item * 10;
    });
    expect(results).toEqual(list.map((item) => item * 10));
    expect(peak).toBe(Math.min(limit, items));
  });

  it('rejects when work fails, and starts no new work after that', async () => {
    const started: number[] = [];
    await expect(
      mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (item) => {
        started.push(item);
        await Promise.resolve();
        if (item === 1) throw new Error('boom');
        return item;
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
  });
});

describe('updateOperations', () => {
  it('sends one update per task, bound to the listed version', () => {
    expect(updateOperations(targets(2), { status: 'completed' })).toEqual([
      { op: 'update', id: 'TASK-000001', if_match: '"1"', data: { status: 'completed' } },
      { op: 'update', id: 'TASK-000002', if_match: '"2"', data: { status: 'completed' } },
    ]);
  });
});

const problem = (status: number, detail?: string, errors?: Problem['errors']): Problem => ({
  type: 'urn:dtm:problem:x',
  title: `Title ${status}`,
  status,
  ...(detail === undefined ? {} : { detail }),
  ...(errors === undefined ? {} : { errors }),
});

describe('problemMessage', () => {
  it.each([
    { given: undefined, want: 'failed with status 500' },
    { given: problem(409), want: 'Title 409' },
    { given: problem(404, 'No task with id TASK-000009.'), want: 'No task with id TASK-000009.' },
    {
      given: problem(422, 'The request is not valid: sprint_id refers to SPR-002.', [{ field: 'sprint_id', message: 'refers to SPR-002' }]),
      want: 'The request is not valid: sprint_id refers to SPR-002.',
    },
    {
      given: problem(422, 'Validation failed.', [{ field: 'data.title', message: 'too long' }]),
      want: 'Validation failed. (data.title: too long)',
    },
  ])('$want', ({ given, want }) => {
    expect(problemMessage(given, 500)).toBe(want);
  });
});

const ok = (index: number): BulkResult => ({ index, op: 'update', status: 200 });
const failed = (index: number, status: number, detail: string): BulkResult => ({ index, op: 'update', status, error: problem(status, detail) });

describe('failuresOf', () => {
  it.each([
    { name: 'all succeeded', results: [ok(0), ok(1), ok(2)], updated: 3, failures: [] },
    {
      name: 'one stale, one missing',
      results: [ok(0), failed(1, 412, 'changed'), failed(2, 404, 'gone')],
      updated: 1,
      failures: [
        { id: 'TASK-000002', status: 412, message: 'changed' },
        { id: 'TASK-000003', status: 404, message: 'gone' },
      ],
    },
    {
      name: 'results out of order are matched by index',
      results: [failed(2, 422, 'bad'), ok(0), ok(1)],
      updated: 2,
      failures: [{ id: 'TASK-000003', status: 422, message: 'bad' }],
    },
    {
      name: 'a missing result is a failure',
      results: [ok(0), ok(1)],
      updated: 2,
      failures: [{ id: 'TASK-000003', status: null, message: 'the server sent no result for this task' }],
    },
  ])('$name', ({ results, updated, failures }) => {
    const response: BulkResponse = { results, succeeded: 0, failed: 0 };
    expect(failuresOf(targets(3), response)).toEqual({ updated, failures });
  });
});

describe('bulkExitCode', () => {
  it.each([
    { updated: 0, failed: 0, want: 0 },
    { updated: 10, failed: 0, want: 0 },
    { updated: 9, failed: 1, want: 3 },
    { updated: 0, failed: 10, want: 1 },
  ])('updated $updated, failed $failed → $want', ({ updated, failed: failures, want }) => {
    expect(bulkExitCode({ updated, failed: failures })).toBe(want);
  });
});

/** A fake bulk endpoint: fails the tasks whose number is in `failing`, records the batches. */
function fakeBulk(failing: Set<number> = new Set()) {
  const batches: BulkRequest[] = [];
  const bulk = (request: BulkRequest): Promise<BulkResponse> => {
    batches.push(request);
    const results = request.operations.map((operation, index): BulkResult => {
      const id = 'id' in operation ? operation.id : '';
      return failing.has(Number(id.slice(5))) ? failed(index, 422, `${id} is bad`) : ok(index);
    });
    return Promise.resolve({ results, succeeded: 0, failed: 0 });
  };
  return { bulk, batches };
}

describe('runBulkUpdate', () => {
  it.each([
    { tasks: 1, batchSize: 100, concurrency: 4, batches: 1 },
    { tasks: 250, batchSize: 100, concurrency: 4, batches: 3 },
    { tasks: 1000, batchSize: 500, concurrency: 2, batches: 2 },
    { tasks: 7, batchSize: 2, concurrency: 1, batches: 4 },
  ])('$tasks tasks in batches of $batchSize → $batches requests, every task once', async ({ tasks, batchSize, concurrency, batches }) => {
    const fake = fakeBulk();
    const sizes: number[] = [];
    const onBatch = (size: number): number => sizes.push(size);
    const outcome = await runBulkUpdate(fake.bulk, targets(tasks), { priority: 'high' }, { batchSize, concurrency, onBatch });
    expect(outcome).toEqual({ updated: tasks, failures: [] });
    expect(fake.batches).toHaveLength(batches);
    expect(fake.batches.every((batch) => batch.operations.length <= batchSize)).toBe(true);
    expect(fake.batches.flatMap((batch) => batch.operations.map((operation) => ('id' in operation ? operation.id : '')))).toEqual(
      targets(tasks).map((target) => target.id),
    );
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(tasks);
  });

  it('reports the failed tasks of every batch, in task order', async () => {
    const fake = fakeBulk(new Set([2, 5, 9]));
    const outcome = await runBulkUpdate(fake.bulk, targets(10), { status: 'blocked' }, { batchSize: 3, concurrency: 3 });
    expect(outcome.updated).toBe(7);
    expect(outcome.failures.map((failure) => failure.id)).toEqual(['TASK-000002', 'TASK-000005', 'TASK-000009']);
  });

  it('fails a batch the API refuses as a whole with its status, and goes on with the others', async () => {
    let call = 0;
    const bulk = (request: BulkRequest): Promise<BulkResponse> => {
      call++;
      if (call === 1) return Promise.reject(Object.assign(new Error('bulkTasks failed with 503\nmore'), { name: 'ServerError', status: 503 }));
      return fakeBulk().bulk(request);
    };
    const outcome = await runBulkUpdate(bulk, targets(4), { status: 'blocked' }, { batchSize: 2, concurrency: 1 });
    expect(outcome.updated).toBe(2);
    expect(outcome.failures).toEqual([
      { id: 'TASK-000001', status: 503, message: 'bulkTasks failed with 503' },
      { id: 'TASK-000002', status: 503, message: 'bulkTasks failed with 503' },
    ]);
  });

  it("says a refused batch in the user's words, not the SDK's call name", async () => {
    const context = { operation: 'bulkTasks', method: 'POST', url: 'http://127.0.0.1:8000/api/v1/tasks/bulk', requestId: 'req_1' };
    const refused = new ServerError(503, problem(503, 'Down for maintenance.'), new Headers(), context, 'The server failed; retry later');
    const outcome = await runBulkUpdate(() => Promise.reject(refused), targets(1), { status: 'blocked' }, { batchSize: 1, concurrency: 1 });
    expect(outcome.failures).toEqual([{ id: 'TASK-000001', status: 503, message: 'Cannot change the tasks: the server failed (503 Title 503): Down for maintenance. (request req_1)' }]);
  });

  it('sends no more batches once the API is unreachable', async () => {
    let calls = 0;
    const bulk = (): Promise<BulkResponse> => {
      calls++;
      return Promise.reject(Object.assign(new Error('cannot reach the DTM API'), { name: 'ConnectionError' }));
    };
    const outcome = await runBulkUpdate(bulk, targets(5), { status: 'blocked' }, { batchSize: 1, concurrency: 1 });
    expect(calls).toBe(1);
    expect(outcome.updated).toBe(0);
    expect(outcome.failures.map((failure) => failure.message)).toEqual([
      'cannot reach the DTM API',
      ...Array.from({ length: 4 }, () => 'not sent: cannot reach the DTM API'),
    ]);
    expect(outcome.failures.every((failure) => failure.status === null)).toBe(true);
  });

  it('rethrows an authentication error: that needs a login, not a report', async () => {
    const bulk = (): Promise<BulkResponse> => Promise.reject(Object.assign(new Error('401'), { name: 'AuthenticationError', status: 401 }));
    await expect(runBulkUpdate(bulk, targets(3), { status: 'blocked' }, { batchSize: 1, concurrency: 2 })).rejects.toThrow('401');
  });
});

describe('collectTargets', () => {
  const task = (id: string, version: number, status: Task['status']): Task =>
    makeTask(id, { title: `Title of ${id}`, status, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z', version });

  async function* listed(...tasks: Task[]): AsyncGenerator<Task> {
    for (const item of tasks) {
      await Promise.resolve();
      yield item;
    }
  }

  it.each([
    { name: 'nothing listed', given: [], preview: false, want: [] },
    {
      name: 'each task at its version',
      given: [task('TASK-000001', 3, 'pending'), task('TASK-000002', 1, 'blocked')],
      preview: false,
      want: [
        ['TASK-000001', 3],
        ['TASK-000002', 1],
      ],
    },
    {
      name: 'a task listed twice counts once',
      given: [task('TASK-000001', 3, 'pending'), task('TASK-000001', 3, 'pending'), task('TASK-000002', 1, 'blocked')],
      preview: true,
      want: [
        ['TASK-000001', 3],
        ['TASK-000002', 1],
      ],
    },
  ])('$name', async ({ given, preview, want }) => {
    const result = await collectTargets(listed(...given), { status: 'blocked' }, preview);
    expect(result.targets.map((target) => [target.id, target.version])).toEqual(want);
    expect(result.preview).toEqual(
      preview
        ? want.map(([id]) => ({
            id,
            title: `Title of ${String(id)}`,
            changes: given.find((item) => item.id === id)?.status === 'blocked' ? [] : [{ field: 'status', from: 'pending', to: 'blocked' }],
          }))
        : [],
    );
  });
});
