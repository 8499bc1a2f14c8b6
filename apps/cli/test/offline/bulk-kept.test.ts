// An online `task bulk-update` keeps every task the server changed in the local store (it
// writes them a thousand at a time): read offline afterwards, each is at the server's version.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DtmClient, type Task } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../harness.js';
import { storedRecords } from './support/store-files.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 2_345 });
  await box.login();
  expect((await box.run(['sync'])).code).toBe(0);
});
afterAll(async () => {
  await box.stop();
});

it('keeps all 2,345 updated tasks in the store, at the versions the server gave them', async () => {
  const before = new Map(storedRecords(box.dataDir, box.url, 'tasks').map((task) => [task.id, task.version]));
  const result = await box.run(['task', 'bulk-update', '--filter', 'priority=low,medium,high,critical', '--assignee', 'kept', '--json']);
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ matched: 2_345, updated: 2_345, failed: 0 });

  const api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
  const server: Task[] = [];
  for await (const task of api.tasks.listAll({ sort: 'id' }, { pageSize: 1000 })) server.push(task);
  const stored = new Map(storedRecords(box.dataDir, box.url, 'tasks').map((task) => [task.id, task]));
  expect(server).toHaveLength(2_345);
  for (const task of server) {
    expect(task.assignee).toBe('kept');
    expect(stored.get(task.id)).toEqual(task);
    expect(task.version).toBeGreaterThan(before.get(task.id) ?? 0);
  }
});
