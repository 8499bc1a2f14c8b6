// `dtm api --paginate [--slurp]`: every page of an offset-paged list.
import type { Task, TaskPage } from '@dtm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 12 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

const ids = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, index) => `TASK-${String(from + index).padStart(6, '0')}`);

describe('dtm api --paginate', () => {
  it('follows the offset to the total and prints every item in one document (fields are the query of a GET)', async () => {
    const result = await box.run(['api', '/api/v1/tasks', '--paginate', '-F', 'limit=5', '-f', 'sort=id']);
    expect(result.code, result.stderr).toBe(0);
    const merged = JSON.parse(result.stdout) as { items: Task[]; total: number };
    expect(merged.total).toBe(12);
    expect(merged.items.map((task) => task.id)).toEqual(ids(1, 12));
  });

  it('--slurp prints one array of every page as received; the filters go with every page', async () => {
    const result = await box.run(['api', 'GET', '/api/v1/tasks?limit=5&sort=id', '--paginate', '--slurp']);
    expect(result.code, result.stderr).toBe(0);
    const pages = JSON.parse(result.stdout) as TaskPage[];
    expect(pages.map((page) => [page.offset, page.limit, page.items.length, page.total])).toEqual([
      [0, 5, 5, 12],
      [5, 5, 5, 12],
      [10, 5, 2, 12],
    ]);
  });

  it('starts at the offset given; with -i prints the head of each page first', async () => {
    const result = await box.run(['api', '-X', 'GET', '/api/v1/tasks', '-F', 'offset=4', '-F', 'limit=4', '-f', 'sort=id', '--paginate', '-i']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/^HTTP\/1\.1 200 OK$/gm)).toHaveLength(2);
    const body = result.stdout.slice(result.stdout.lastIndexOf('\n\n{') + 2);
    expect((JSON.parse(body) as { items: Task[] }).items.map((task) => task.id)).toEqual(ids(5, 12));
  });

  it.each([
    {
      args: ['/health', '--paginate'],
      message: /^Error: --paginate: GET \/health does not answer with a page of a list\.\nHint: The lists: \/api\/v1\/tasks, \/api\/v1\/tasks\/\{task_id\}\/history, /,
    },
    { args: ['/api/v1/tasks/TASK-000001', '--paginate'], message: /^Error: --paginate: GET \/api\/v1\/tasks\/TASK-000001 does not answer with a page of a list\./ },
    { args: ['POST', '/api/v1/tasks', '-f', 'title=x', '--paginate'], message: /^Error: --paginate reads the pages of a list with GET, not POST\./ },
    { args: ['/api/v1/tasks', '--slurp'], message: /^Error: --slurp needs --paginate\./ },
  ])('$args: a usage error (exit 2), nothing on stdout', async ({ args, message }) => {
    const result = await box.run(['api', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('a path that is no list is refused before anything is sent; with --unchecked, by its answer', async () => {
    await box.server.setFaults({ down: true });
    let before;
    try {
      before = await box.run(['api', '/api/v1/projects/PRJ-001/summary', '--paginate']);
    } finally {
      await box.server.setFaults({ down: false });
    }
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/^Error: --paginate: GET \/api\/v1\/projects\/PRJ-001\/summary does not answer with a page of a list\./);
    const unchecked = await box.run(['api', '--unchecked', '/health', '--paginate']);
    expect(unchecked.code).toBe(2);
    expect(unchecked.stdout).toBe('');
    expect(unchecked.stderr).toMatch(/^Error: --paginate: GET \/health did not answer with a page of a list \(\{ items, total, limit, offset \}\)\./);
  });

  it('an error on a page prints its problem and exits 1', async () => {
    const result = await box.run(['api', '/api/v1/tasks', '--paginate', '-F', 'limit=0']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 422 });
  });
});
