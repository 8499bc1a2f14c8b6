// `dtm api [METHOD] PATH` and `-X METHOD`: GET by default, POST with fields or --input, as `gh api`.
import type { Task, TaskPage } from '@dtm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';
import { apiJson } from './support.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 3 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

const api = <T>(args: string[], stdin?: string): Promise<T> => apiJson<T>(box, args, stdin);

describe('dtm api: the method', () => {
  it('is GET without fields, POST with fields or --input, or what -X/--method names', async () => {
    const shown = await api<Task>(['/api/v1/tasks/TASK-000001']);
    expect(shown.id).toBe('TASK-000001');

    const created = await api<Task>(['/api/v1/tasks', '-f', 'title=Posted by default']);
    expect(created).toMatchObject({ title: 'Posted by default', status: 'pending' });
    const fromInput = await api<Task>(['/api/v1/tasks', '--input', '-'], JSON.stringify({ title: 'Posted from stdin' }));
    expect(fromInput.title).toBe('Posted from stdin');

    const patched = await api<Task>(['-X', 'PATCH', `/api/v1/tasks/${created.id}`, '-F', 'estimate_hours=3']);
    expect(patched).toMatchObject({ id: created.id, estimate_hours: 3 });
    const listed = await api<TaskPage>(['--method=get', '/api/v1/tasks', '-F', 'limit=2']);
    expect([listed.limit, listed.items.length]).toEqual([2, 2]);

    const deleted = await box.run(['api', '-X', 'delete', `/api/v1/tasks/${fromInput.id}`]);
    expect([deleted.code, deleted.stdout]).toEqual([0, '']);
    const gone = await box.run(['api', `/api/v1/tasks/${fromInput.id}`]);
    expect(gone.code).toBe(1);
  });

  it('a missing METHOD or PATH is never read from stdin (oclif would by default)', async () => {
    const result = await box.run(['api', '/health'], { stdin: '/auth/me' });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('status', 'ok');
  });

  it('the positional METHOD still works, and may agree with -X', async () => {
    const [positional, both] = await Promise.all([
      api<TaskPage>(['get', '/api/v1/tasks?limit=1']),
      api<TaskPage>(['GET', '/api/v1/tasks?limit=1', '-X', 'get']),
    ]);
    expect(positional.items).toHaveLength(1);
    expect(both).toEqual(positional);
  });

  it.each([
    { args: ['GET', '/api/v1/tasks', '-X', 'POST'], message: 'Error: The method is given twice: GET and -X POST.' },
    { args: ['-X', 'TRACE', '/health'], message: 'Error: Unknown method "TRACE".' },
    { args: ['TRACE', '/health'], message: 'Error: Unknown method "TRACE".' },
    { args: ['GET'], message: 'Error: Give the path of the request after GET.' },
    { args: [], message: 'Error: Give the path of the request, e.g. /api/v1/tasks.' },
  ])('$args: a usage error, exit 2, nothing on stdout', async ({ args, message }) => {
    const result = await box.run(['api', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(message);
  });
});
