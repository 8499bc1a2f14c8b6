// Writes while the server is down: queued in the store's outbox and applied to the store in
// one transaction, sent by `dtm sync` exactly once, with conflicts for tasks that changed on
// the server meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Task, type TaskPage } from '@dtm/sdk';
import { LocalStore } from '../../src/lib/store/store.js';
import { type Sandbox, sandbox } from '../harness.js';
import { outboxRows, storedRecords } from './support/store-files.js';

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

// The breaker the failed calls opened is not reset: the next command's first call is its probe.
async function up(): Promise<void> {
  await box.server.setFaults({ down: false });
}

const storedTask = (id: string): Task | undefined => storedRecords(box.dataDir, box.url, 'tasks').find((task) => task.id === id);

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

  it('task create is queued (exit 3, a TASK-L… id, source local) and is in the local store', async () => {
    const result = await box.run(['task', 'create', '--title', 'Offline, "quoted" one', '--priority', 'high', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const task = JSON.parse(result.stdout) as Local<Task>;
    expect(task).toMatchObject({ title: 'Offline, "quoted" one', priority: 'high', status: 'pending', version: 1, source: 'local' });
    expect(task.id).toMatch(/^TASK-L[0-9a-f]{8}$/);
    temporary = task.id;
    expect(result.stderr).toMatch(/Offline: queued \(the API at .+ is unreachable\); 1 change waiting for `dtm sync`\./);
    expect(storedTask(temporary)?.title).toBe('Offline, "quoted" one');
    expect(outboxRows(box.dataDir, box.url).map((row) => [row.kind, row.action, row.target])).toEqual([['tasks', 'create', temporary]]);
  });

  it('update, complete and delete are queued too and show in the local store at once', async () => {
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

  it('a task not in the local store cannot be changed offline: exit 1, nothing queued', async () => {
    const before = outboxRows(box.dataDir, box.url).length;
    const result = await box.run(['task', 'update', 'TASK-999999', '--status', 'blocked']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach the DTM API');
    expect(result.stderr).toContain('Only records in the local store can be changed offline');
    expect(outboxRows(box.dataDir, box.url)).toHaveLength(before);
  });

  it('status sync lists the six queued changes (exit 3, no API call)', async () => {
    const result = await box.run(['status', 'sync', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const status = JSON.parse(result.stdout) as { pending: number; conflicts: number; pending_changes: { kind: string; action: string }[] };
    expect(status.pending).toBe(6);
    expect(status.conflicts).toBe(0);
    expect(status.pending_changes.map((change) => change.action)).toEqual(['create', 'update', 'update', 'complete', 'delete', 'create']);
    expect(new Set(status.pending_changes.map((change) => change.kind))).toEqual(new Set(['tasks']));
  });

  it('dtm sync while the server is still down fails (exit 1) and keeps everything queued', async () => {
    const result = await box.run(['sync']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot reach the DTM API.*6 changes still queued/);
  });

  it('once the server is back, dtm sync applies every change exactly once and empties the outbox', async () => {
    await up();
    const result = await box.run(['sync', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ applied: 6, conflicts: [], remaining: 0, pulled: { deleted: expect.any(Number) as number } });

    const [created] = await serverTasks('Offline, "quoted" one');
    expect(await serverTasks('Offline, "quoted" one')).toHaveLength(1);
    expect(created).toMatchObject({ status: 'in_progress', priority: 'high' });
    expect(await serverTasks('Second offline task')).toHaveLength(1);
    expect(await api.tasks.get((made['Keep me'] as Task).id)).toMatchObject({ priority: 'critical' });
    expect(await api.tasks.get((made['Finish me'] as Task).id)).toMatchObject({ status: 'completed', completion_notes: 'done offline' });
    await expect(api.tasks.get((made['Drop me'] as Task).id)).rejects.toMatchObject({ status: 404 });
    expect(outboxRows(box.dataDir, box.url)).toEqual([]);

    // The temporary id still names the task, now by its server id; the store has the server's record.
    const shown = await box.json<Task>(['task', 'show', temporary]);
    expect(shown.id).toBe(created?.id);
    expect(storedTask(temporary)).toBeUndefined();
    expect(storedTask(created?.id ?? '')).toEqual(created);
    expect(storedTask((made['Drop me'] as Task).id)).toBeUndefined();

    const again = await box.run(['sync', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: 0, conflicts: [], remaining: 0 });
    expect((await box.run(['sync'])).stdout).toMatch(/^✓ Nothing was queued: the server has every change\.\n✓ Pulled the changes from the server: 0 records updated, 0 deleted\.\n$/);
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
    // A live process holds the right to send the outbox: this test's own.
    const claim = (owner: string | undefined): void => {
      const store = LocalStore.open(box.dataDir, box.url);
      try {
        store.setMeta('sync_owner', owner);
      } finally {
        store.close();
      }
    };
    claim(String(process.pid));
    try {
      const result = await box.run(['task', 'update', task.id, '--priority', 'low']);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain(`Offline: queued (earlier changes of ${task.id} are still queued); 2 changes waiting`);
      expect((await api.tasks.get(task.id)).priority).toBe('medium');
    } finally {
      claim(undefined);
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
    const report = JSON.parse(result.stdout) as { applied: number; conflicts: { id: string; kind: string; record_id: string; reason: string }[] };
    const conflict = report.conflicts.find((candidate) => candidate.record_id === task.id);
    expect(conflict?.kind).toBe('tasks');
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
    expect(JSON.parse(resolved.stdout)).toMatchObject({ conflict: id, kind: 'tasks', record_id: task.id, kept: 'local', record: { title: 'A: mine', version: 3 } });
    expect(storedTask(task.id)).toMatchObject({ title: 'A: mine', version: 3 });
    expect((await api.tasks.get(task.id)).title).toBe('A: mine');
    expect(JSON.parse((await box.run(['sync', '--conflicts', '--json'])).stdout)).toEqual([]);
  });

  it('--keep remote drops the offline change and refreshes the local store; by task id too', async () => {
    const { task } = await conflictOn('Conflict B', 'B: mine', 'B: theirs');
    const resolved = await box.run(['sync', 'resolve', task.id, '--keep', 'remote']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain(`${task.id}: kept the server’s version (version 2)`);
    expect((await api.tasks.get(task.id)).title).toBe('B: theirs');
    expect(storedTask(task.id)?.title).toBe('B: theirs');
    const unknown = await box.run(['sync', 'resolve', 'nope', '--keep', 'remote']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There are no open conflicts.');
  });
});

describe('task bulk-update offline', () => {
  it('matches against the local store, queues one change per task, and sync applies them', async () => {
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
  it('lose nothing: every change is queued, in the local store, and sent once', async () => {
    await down();
    const writer = async (name: string): Promise<number[]> => {
      const codes: number[] = [];
      for (let index = 0; index < 8; index++) codes.push((await box.run(['task', 'create', '--title', `${name} ${index}`])).code ?? -1);
      return codes;
    };
    const codes = await Promise.all([writer('Writer one'), writer('Writer two')]);
    expect(codes.flat()).toEqual(Array.from({ length: 16 }, () => 3));
    expect(storedRecords(box.dataDir, box.url, 'tasks').filter((task) => task.title.startsWith('Writer ')).length).toBe(16);
    expect(outboxRows(box.dataDir, box.url)).toHaveLength(16);
    await up();
    expect(JSON.parse((await box.run(['sync', '--json'])).stdout)).toMatchObject({ applied: 16, remaining: 0 });
    const page = await api.tasks.list({ q: 'Writer', limit: 100 });
    expect(page.items.map((task) => task.title).sort()).toEqual(
      ['one', 'two'].flatMap((name) => Array.from({ length: 8 }, (_, index) => `Writer ${name} ${index}`)).sort(),
    );
  });
});
