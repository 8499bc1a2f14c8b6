// An offline `task bulk-update` that matches nothing queues nothing, and its two lines agree:
// no "queued; N changes waiting" note next to "nothing queued".
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 5 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

it('says no task matched, and how many changes were already waiting', async () => {
  const list = await box.run(['task', 'list']);
  expect(list.code, list.stderr).toBe(0);
  const update = await box.run(['task', 'update', 'TASK-000001', '--title', 'Changed offline', '--offline']);
  expect(update.code, update.stderr).toBe(3);

  const args = ['task', 'bulk-update', '--filter', 'assignee=nobody-at-all', '--status', 'blocked', '--offline'];
  const [text, json] = await Promise.all([box.run(args), box.run([...args, '--json'])]);
  expect(text.code).toBe(3);
  expect(text.stdout).toBe('No task in the local copy matches assignee=nobody-at-all; nothing new queued (1 change already waiting for `dtm sync`).\n');
  expect(text.stderr).not.toMatch(/queued|waiting/);
  expect(json.code).toBe(3);
  expect(JSON.parse(json.stdout)).toMatchObject({ matched: 0, updated: 0, failed: 0, source: 'local' });

  const status = await box.run(['status', 'sync', '--json']);
  expect(JSON.parse(status.stdout)).toMatchObject({ pending: 1 });
});
