// Writes while the server is down: queued in the outbox, applied to the local copy, sent by
// `dtm sync` exactly once, with conflicts for tasks that changed on the server meanwhile.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Task, type TaskPage } from '@dtm/sdk';
import { readCollection } from '../../src/lib/offline/local-copy.js';
import { type Sandbox, sandbox } from '../harness.js';

let box: Sandbox;
let api: DtmClient;

beforeAll(async () => {
  box = await sandbox({ tasks: 5 });
  await box.login();
  api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
});
afterAll(async () => {
  await box.stop();
});

async function down(): Promise<void> {
  await box.server.setFaults({ down: true });
}

async function up(): Promise<void> {
  await box.server.setFaults({ down: false });
  // The breaker saved by the failed calls would hold commands off for its cool-down.
  await rm(join(box.dataDir, 'breaker.json'), { force: true });
}

async function serverTasks(title: string): Promise<Task[]> {
  const page = await api.tasks.list({ q: title, limit: 100 });
  return page.items.filter((task) => task.title === title);
}

type Local<T> = T & { source: string; last_sync: string };

describe('writes while the server is down', () => {
  const made: Record<string, Task> = {};
  let temporary = '';

  beforeAll(async () => {
    for (const name of ['Keep me', 'Finish me', 'Drop me']) made[name] = await box.json<Task>(['task', 'create', '--title', name]);
    await down();
  });
  afterAll(up);

  it('task create is queued (exit 3, a TASK-L… id, source local) and is in the local copy', async () => {
    const result = await box.run(['task', 'create', '--title', 'Offline, "quoted" one', '--priority', 'high', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const task = JSON.parse(result.stdout) as Local<Task>;
    expect(task).toMatchObject({ title: 'Offline, "quoted" one', priority: 'high', status: 'pending', version: 1, source: 'local' });
    expect(task.id).toMatch(/^TASK-L[0-9a-f]{8}$/);
    temporary = task.id;
    expect(result.stderr).toMatch(/Offline: queued \(the API at .+ is unreachable\); 1 change waiting for `dtm sync`\./);
    const copy = await readCollection('tasks', { dir: box.dataDir });
    expect(copy?.records.find((record) => record.id === temporary)?.title).toBe('Offline, "quoted" one');
  });

  it('update, complete and delete are queued too and show in the local copy at once', async () => {
    const updated = await box.run(['task', 'update', temporary, '--status', 'in_progress', '--json']);
    expect(updated.code, updated.stderr).toBe(3);
    expect(JSON.parse(updated.stdout)).toMatchObject({ id: temporary, status: 'in_progress', version: 2 });
    const keep = made['Keep me'] as Task;
    expect((await box.run(['task', 'update', keep.id, '--priority', 'critical'])).code).toBe(3);
    const finish = made['Finish me'] as Task;
    const completed = await box.run(['task', 'complete', finish.id, '--notes', 'done offline', '--json']);
    expect(completed.code, completed.stderr).toBe(3);
    expect(JSON.parse(completed.stdout)).toMatchObject({ status: 'completed', completion_notes: 'done offline' });
    const drop = made['Drop me'] as Task;
    const deleted = await box.run(['task', 'delete', drop.id, '--yes']);
    expect(deleted.code, deleted.stderr).toBe(3);
    expect((await box.run(['task', 'create', '--title', 'Second offline task', '--offline'])).code).toBe(3);

    const listed = await box.run(['task', 'list', '--search', 'offline', '--json']);
    expect(listed.code).toBe(3);
    const titles = (JSON.parse(listed.stdout) as TaskPage).items.map((task) => task.title).sort();
    expect(titles).toEqual(['Offline, "quoted" one', 'Second offline task']);
    const shown = await box.run(['task', 'show', drop.id]);
    expect(shown.code).toBe(1);
  });

  it('a task not in the local copy cannot be changed offline: exit 1, nothing queued', async () => {
    const result = await box.run(['task', 'update', 'TASK-999999', '--status', 'blocked']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the DTM API');
    expect(result.stderr).toContain('Only tasks in the local copy can be changed offline');
  });

  it('status sync lists the six queued changes (exit 3, no API call)', async () => {
    const result = await box.run(['status', 'sync', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const status = JSON.parse(result.stdout) as { pending: number; conflicts: number; pending_changes: { action: string }[] };
    expect(status.pending).toBe(6);
    expect(status.conflicts).toBe(0);
    expect(status.pending_changes.map((change) => change.action)).toEqual(['create', 'update', 'update', 'complete', 'delete', 'create']);
  });

  it('dtm sync while the server is still down fails (exit 1) and keeps everything queued', async () => {
    const result = await box.run(['sync']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot reach the DTM API.*6 changes still queued/);
  });

  it('once the server is back, dtm sync applies every change exactly once and empties the outbox', async () => {
    await up();
    const result = await box.run(['sync', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ applied: 6, conflicts: [], remaining: 0 });

    const [created] = await serverTasks('Offline, "quoted" one');
    expect(await serverTasks('Offline, "quoted" one')).toHaveLength(1);
    expect(created).toMatchObject({ status: 'in_progress', priority: 'high' });
    expect(await serverTasks('Second offline task')).toHaveLength(1);
    expect(await api.tasks.get((made['Keep me'] as Task).id)).toMatchObject({ priority: 'critical' });
    expect(await api.tasks.get((made['Finish me'] as Task).id)).toMatchObject({ status: 'completed', completion_notes: 'done offline' });
    await expect(api.tasks.get((made['Drop me'] as Task).id)).rejects.toMatchObject({ status: 404 });
    expect(existsSync(join(box.dataDir, 'outbox.ndjson'))).toBe(false);

    // The temporary id still names the task, now by its server id; the local copy has the server's record.
    const shown = await box.json<Task>(['task', 'show', temporary]);
    expect(shown.id).toBe(created?.id);
    const copy = await readCollection('tasks', { dir: box.dataDir });
    expect(copy?.records.some((task) => task.id === temporary)).toBe(false);
    expect(copy?.records.find((task) => task.id === created?.id)).toEqual(created);

    const again = await box.run(['sync', '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ applied: 0, conflicts: [], remaining: 0 });
    expect((await box.run(['sync'])).stdout).toBe('✓ Nothing was queued: the server has every change.\n');
    expect(await serverTasks('Second offline task')).toHaveLength(1);
  });
});

describe('any command that reaches the API sends the queued changes first', () => {
  it('a task list after the server is back sends them, then answers from the API', async () => {
    await down();
    expect((await box.run(['task', 'create', '--title', 'Sent by the next command'])).code).toBe(3);
    await up();
    const result = await box.run(['task', 'list', '--search', 'Sent by the next', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as TaskPage).items.map((task) => task.title)).toEqual(['Sent by the next command']);
    const text = await box.run(['task', 'list', '--limit', '1']);
    expect(text.stderr).not.toContain('Sent');
    expect(await serverTasks('Sent by the next command')).toHaveLength(1);
  });
});

describe('while another dtm is sending the outbox', () => {
  it('a change of a task with queued changes waits behind them instead of overtaking them', async () => {
    const task = await box.json<Task>(['task', 'create', '--title', 'Ordered']);
    await down();
    expect((await box.run(['task', 'update', task.id, '--priority', 'high'])).code).toBe(3);
    await up();
    // A live process holds the sync lock: this test's own.
    await writeFile(join(box.dataDir, 'sync.lock'), String(process.pid));
    try {
      const result = await box.run(['task', 'update', task.id, '--priority', 'low']);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain(`Offline: queued (earlier changes of ${task.id} are still queued); 2 changes waiting`);
      expect((await api.tasks.get(task.id)).priority).toBe('medium');
    } finally {
      await rm(join(box.dataDir, 'sync.lock'), { force: true });
    }
    expect(JSON.parse((await box.run(['sync', '--json'])).stdout)).toMatchObject({ applied: 2, conflicts: [], remaining: 0 });
    expect(await api.tasks.get(task.id)).toMatchObject({ priority: 'low', version: task.version + 2 });
  });
});

describe('conflicts', () => {
  async function conflictOn(title: string, offlineTitle: string, serverTitle: string): Promise<{ task: Task; id: string }> {
    const task = await box.json<Task>(['task', 'create', '--title', title]);
    await down();
    expect((await box.run(['task', 'update', task.id, '--title', offlineTitle])).code).toBe(3);
    await up();
    await api.tasks.update(task.id, { title: serverTitle });
    const result = await box.run(['sync', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const report = JSON.parse(result.stdout) as { applied: number; conflicts: { id: string; task_id: string; reason: string }[] };
    const conflict = report.conflicts.find((candidate) => candidate.task_id === task.id);
    expect(conflict?.reason).toContain(`${task.id} changed on the server since version 1 (now version 2)`);
    return { task, id: conflict?.id ?? '' };
  }

  it('a task changed on the server meanwhile is a listed conflict, not an overwrite; --keep local applies the change', async () => {
    const { task, id } = await conflictOn('Conflict A', 'A: mine', 'A: theirs');
    expect((await api.tasks.get(task.id)).title).toBe('A: theirs');
    const listed = await box.run(['sync', '--conflicts', '--json']);
    expect(listed.code).toBe(3);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((conflict) => conflict.id)).toEqual([id]);
    const text = await box.run(['sync', '--conflicts']);
    expect(text.stdout).toContain(`${id}\t${task.id}\tupdate title=A: mine\t`);

    const resolved = await box.run(['sync', 'resolve', id, '--keep', 'local', '--json']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(JSON.parse(resolved.stdout)).toMatchObject({ conflict: id, kept: 'local', task: { title: 'A: mine', version: 3 } });
    expect((await api.tasks.get(task.id)).title).toBe('A: mine');
    expect(JSON.parse((await box.run(['sync', '--conflicts', '--json'])).stdout)).toEqual([]);
  });

  it('--keep remote drops the offline change and refreshes the local copy; by task id too', async () => {
    const { task } = await conflictOn('Conflict B', 'B: mine', 'B: theirs');
    const resolved = await box.run(['sync', 'resolve', task.id, '--keep', 'remote']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain(`${task.id}: kept the server’s version (version 2)`);
    expect((await api.tasks.get(task.id)).title).toBe('B: theirs');
    const copy = await readCollection('tasks', { dir: box.dataDir });
    expect(copy?.records.find((record) => record.id === task.id)?.title).toBe('B: theirs');
    const unknown = await box.run(['sync', 'resolve', 'nope', '--keep', 'remote']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There are no open conflicts.');
  });
});

describe('task bulk-update offline', () => {
  it('matches against the local copy, queues one change per task, and sync applies them', async () => {
    const ids: string[] = [];
    for (const title of ['Bulk 1', 'Bulk 2', 'Bulk 3']) ids.push((await box.json<Task>(['task', 'create', '--title', title, '--assignee', 'bulky'])).id);
    await down();
    const dry = await box.run(['task', 'bulk-update', '--filter', 'assignee=bulky', '--priority', 'low', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(3);
    expect(JSON.parse(dry.stdout)).toMatchObject({ matched: 3, dry_run: true, source: 'local' });
    const result = await box.run(['task', 'bulk-update', '--filter', 'assignee=bulky', '--priority', 'low', '--json']);
    expect(result.code, result.stderr).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ matched: 3, updated: 3, failed: 0, source: 'local' });
    expect(result.stderr).toContain('3 changes waiting for `dtm sync`');
    await up();
    expect(JSON.parse((await box.run(['sync', '--json'])).stdout)).toMatchObject({ applied: 3, conflicts: [], remaining: 0 });
    for (const id of ids) expect((await api.tasks.get(id)).priority).toBe('low');
  });
});

describe('two dtm processes writing offline at the same time', () => {
  it('lose nothing: every change is queued, in the local copy, and sent once', async () => {
    await down();
    const writer = async (name: string): Promise<number[]> => {
      const codes: number[] = [];
      for (let index = 0; index < 8; index++) codes.push((await box.run(['task', 'create', '--title', `${name} ${index}`])).code ?? -1);
      return codes;
    };
    const codes = await Promise.all([writer('Writer one'), writer('Writer two')]);
    expect(codes.flat()).toEqual(Array.from({ length: 16 }, () => 3));
    const copy = await readCollection('tasks', { dir: box.dataDir });
    expect(copy?.records.filter((task) => task.title.startsWith('Writer ')).length).toBe(16);
    const lines = (await readFile(join(box.dataDir, 'outbox.ndjson'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(16);
    await up();
    expect(JSON.parse((await box.run(['sync', '--json'])).stdout)).toMatchObject({ applied: 16, remaining: 0 });
    const page = await api.tasks.list({ q: 'Writer', limit: 100 });
    expect(page.items.map((task) => task.title).sort()).toEqual(
      ['one', 'two'].flatMap((name) => Array.from({ length: 8 }, (_, index) => `Writer ${name} ${index}`)).sort(),
    );
  });
});
