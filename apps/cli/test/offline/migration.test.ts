// The import of a data dir written by the CSV-era release (test/fixtures/legacy-data-dir, made
// by the CLI of commit 8fefb1f: a CSV copy of a server's tasks, projects and sprints, and three
// changes queued offline in outbox.ndjson — a create, an update and a delete). On first use the
// new `dtm` takes it into the store of that server, keeps the queued changes and sends them
// with `dtm sync`, then moves the old files into imported-<time>/; nothing is imported twice.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Task, type TaskPage } from '@dtm/sdk';
import { type Sandbox, root, sandbox } from '../harness.js';
import { outboxRows, storedRecords } from './support/store-files.js';

const fixture = join(root, 'test', 'fixtures', 'legacy-data-dir');
const legacyFiles = ['local-copy.json', 'outbox.ndjson', 'breaker.json', 'tasks.csv', 'projects.csv', 'sprints.csv'];
const createdTitle = 'Migrated: created offline';
/** The temporary id the old CLI gave the task it created offline. */
const temporary = 'TASK-L038a3450';

let box: Sandbox;
let api: DtmClient;
beforeAll(async () => {
  // The server the fixture was made against: the same seed, so the same ids and versions.
  box = await sandbox({ tasks: 5 });
  await box.login();
  api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
  await mkdir(box.dataDir, { recursive: true });
  for (const name of legacyFiles) {
    const text = await readFile(join(fixture, name), 'utf8');
    await writeFile(join(box.dataDir, name), text.replaceAll('http://PLACEHOLDER', box.url), { mode: 0o600 });
  }
});
afterAll(async () => {
  await box.stop();
});

async function importedDirs(): Promise<string[]> {
  return (await readdir(box.dataDir)).filter((name) => name.startsWith('imported-'));
}

async function serverTasksTitled(title: string): Promise<Task[]> {
  return (await api.tasks.list({ q: title, limit: 100 })).items.filter((task) => task.title === title);
}

describe('a data dir of the CSV-era release', () => {
  it('is imported on first use: an offline list answers from its records, with the queued changes applied', async () => {
    const result = await box.run(['task', 'list', '--offline', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const page = JSON.parse(result.stdout) as TaskPage & { source: string };
    expect(page.source).toBe('local');
    expect(page.items.map((task) => task.id)).toEqual(['TASK-000001', 'TASK-000002', 'TASK-000004', 'TASK-000005', temporary]);
    expect(page.items.find((task) => task.id === 'TASK-000002')).toMatchObject({ priority: 'critical', assignee: 'migrated', version: 2 });
    expect(page.items.find((task) => task.id === temporary)).toMatchObject({ title: createdTitle, priority: 'high', version: 1 });
    // Projects and sprints came along.
    const projects = await box.run(['project', 'list', '--all', '--offline', '--json']);
    expect(projects.code, projects.stderr).toBe(3);
    expect((JSON.parse(projects.stdout) as unknown[]).length).toBe(4);
    // The old files were moved aside, whole.
    const [moved, ...more] = await importedDirs();
    expect(more).toEqual([]);
    for (const name of legacyFiles) {
      expect(existsSync(join(box.dataDir, name)), name).toBe(false);
      expect(existsSync(join(box.dataDir, moved ?? '', name)), name).toBe(true);
    }
  });

  it('dtm status sync lists the three queued changes (exit 3)', async () => {
    const result = await box.run(['status', 'sync', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const status = JSON.parse(result.stdout) as { pending: number; pending_changes: { kind: string; record_id: string; action: string }[]; records: Record<string, number> };
    expect(status.pending).toBe(3);
    expect(status.pending_changes.map(({ kind, record_id, action }) => `${kind} ${action} ${record_id}`)).toEqual([
      `tasks create ${temporary}`,
      'tasks update TASK-000002',
      'tasks delete TASK-000003',
    ]);
    expect(status.records).toEqual({ tasks: 5, projects: 4, sprints: 9 });
  });

  it('dtm sync sends them: the task created once, the update and the delete applied; the outbox empty', async () => {
    const result = await box.run(['sync', '--json']);
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ applied: 3, conflicts: [], remaining: 0 });
    const [created, ...twice] = await serverTasksTitled(createdTitle);
    expect(twice).toEqual([]);
    expect(created).toMatchObject({ priority: 'high', status: 'pending' });
    expect(await api.tasks.get('TASK-000002')).toMatchObject({ priority: 'critical', assignee: 'migrated', version: 2 });
    await expect(api.tasks.get('TASK-000003')).rejects.toMatchObject({ status: 404 });
    expect(outboxRows(box.dataDir, box.url)).toEqual([]);
    // The store now holds the server's records; the old temporary id names the created task.
    const stored = storedRecords(box.dataDir, box.url, 'tasks');
    expect(stored.map((task) => task.id)).toEqual(['TASK-000001', 'TASK-000002', 'TASK-000004', 'TASK-000005', created?.id]);
    expect(stored.find((task) => task.id === created?.id)).toEqual(created);
    expect((await box.json<Task>(['task', 'show', temporary])).id).toBe(created?.id);
  });

  it('imports nothing twice: not on the next run, nor when the old files come back (a crash before they were moved)', async () => {
    const again = await box.run(['sync', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: 0, conflicts: [], remaining: 0 });
    expect(await importedDirs()).toHaveLength(1);

    const [moved] = await importedDirs();
    for (const name of legacyFiles) await copyFile(join(box.dataDir, moved ?? '', name), join(box.dataDir, name));
    const status = await box.run(['status', 'sync', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ pending: 0, conflicts: 0 });
    expect(await importedDirs()).toHaveLength(2);
    const last = await box.run(['sync', '--json']);
    expect(JSON.parse(last.stdout)).toMatchObject({ applied: 0, conflicts: [], remaining: 0 });
    expect(await serverTasksTitled(createdTitle)).toHaveLength(1);
    const listed = await box.json<TaskPage>(['task', 'list', '--search', 'Migrated']);
    expect(listed.items.map((task) => task.title)).toEqual([createdTitle]);
    // Nor do the old records come back into the store: no temporary id, no task deleted meanwhile.
    const offline = await box.run(['task', 'list', '--offline', '--json']);
    expect((JSON.parse(offline.stdout) as TaskPage).items.map((task) => task.id)).toEqual(storedRecords(box.dataDir, box.url, 'tasks').map((task) => task.id));
    expect(storedRecords(box.dataDir, box.url, 'tasks').map((task) => task.id)).toEqual(['TASK-000001', 'TASK-000002', 'TASK-000004', 'TASK-000005', listed.items[0]?.id]);
  });
});
