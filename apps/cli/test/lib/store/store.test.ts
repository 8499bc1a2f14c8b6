// LocalStore: queuing a change is one transaction with applying it; settling one takes it out
// of the outbox with the server's answer (a temporary id traded for the server's, in every
// record and queued change that names it); a conflict is listed, never dropped; an outbox row
// that cannot be read stops the reader and stays; one sender at a time.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project, Sprint } from '@dtm/sdk';
import type { Change, Entry } from '../../../src/lib/store/changes.js';
import { serverDir, storeFile } from '../../../src/lib/store/database.js';
import { type Conflict, LocalStore } from '../../../src/lib/store/store.js';
import { makeTask } from '../../fixtures.js';

const url = 'http://api.test:8000';
let dir: string;
let store: LocalStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtm-store-'));
  store = LocalStore.open(dir, url);
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

const project: Project = {
  id: 'PRJ-001',
  name: 'Web',
  description: null,
  status: 'active',
  owner: 'demo',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
};
const sprint: Sprint = {
  id: 'SPR-001',
  name: 'One',
  project_id: 'PRJ-001',
  goal: null,
  status: 'planned',
  start_date: '2026-01-05',
  end_date: '2026-01-18',
  started_at: null,
  completed_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 1,
};

function outboxRows(): { seq: number; entry: string; change: string }[] {
  return store.db.prepare('SELECT seq, entry, change FROM outbox ORDER BY seq').all() as { seq: number; entry: string; change: string }[];
}

describe('the store file', () => {
  it('one per API server, in a folder named after host and port, owned by that URL', () => {
    expect(store.file).toBe(storeFile(serverDir(dir, url)));
    expect(serverDir(dir, url)).toMatch(/servers\/api\.test_8000-[0-9a-f]{8}$/);
    expect(serverDir(dir, 'https://api.test')).toMatch(/servers\/api\.test_443-[0-9a-f]{8}$/);
    expect(serverDir(dir, 'http://api.test:8000/v2')).not.toBe(serverDir(dir, url));
    expect(existsSync(store.file)).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('says which server it belongs to, and refuses to be opened for another', async () => {
    expect(await readFile(join(store.dir, 'server.txt'), 'utf8')).toBe(`${url}\n`);
    const { openDatabase } = await import('../../../src/lib/store/database.js');
    expect(() => openDatabase(store.dir, 'http://other.test')).toThrow(/holds the data of http:\/\/api\.test:8000, not of http:\/\/other\.test/);
  });
});

describe('queue', () => {
  it('inserts into the outbox and applies the change in one go; the answer is the record as it is now', () => {
    store.upsert('tasks', [makeTask('TASK-000001', { version: 3 })]);
    const [created, updated] = store.queue([
      { kind: 'tasks', action: 'create', target: 'TASK-L0000000a', body: { title: 'Offline' } },
      { kind: 'tasks', action: 'update', target: 'TASK-000001', body: { priority: 'high' } },
    ]);
    expect(created).toMatchObject({ id: 'TASK-L0000000a', title: 'Offline', version: 1 });
    expect(updated).toMatchObject({ id: 'TASK-000001', priority: 'high', version: 4 });
    expect(store.get('tasks', 'TASK-L0000000a')).toEqual(created);
    expect(store.get('tasks', 'TASK-000001')).toEqual(updated);
    const queue = store.pending();
    expect(queue.map((entry) => [entry.kind, entry.action, entry.target])).toEqual([
      ['tasks', 'create', 'TASK-L0000000a'],
      ['tasks', 'update', 'TASK-000001'],
    ]);
    // The version the change was made on is the stored one; each change has its own key.
    expect(queue[1]).toMatchObject({ base_version: 3 });
    expect(queue[0]?.key).not.toBe(queue[1]?.key);
    expect(store.pendingCount()).toBe(2);
    expect(store.hasQueued('TASK-000001')).toBe(true);
    expect(store.hasQueued('TASK-000002')).toBe(false);
  });

  it('updates, completions and deletions of every kind carry the stored version (If-Match when sent); other changes none', () => {
    store.upsert('tasks', [makeTask('TASK-000001', { version: 3 }), makeTask('TASK-000002', { version: 5 })]);
    store.upsert('projects', [{ ...project, version: 7 }]);
    store.upsert('sprints', [{ ...sprint, version: 9 }]);
    store.queue([
      { kind: 'tasks', action: 'complete', target: 'TASK-000001', body: {} },
      { kind: 'tasks', action: 'delete', target: 'TASK-000002' },
      { kind: 'projects', action: 'update', target: 'PRJ-001', body: { name: 'x' } },
      { kind: 'sprints', action: 'update', target: 'SPR-001', body: { goal: 'g' } },
      { kind: 'sprints', action: 'start', target: 'SPR-001' },
      { kind: 'sprints', action: 'add-tasks', target: 'SPR-001', task_ids: ['TASK-000001'] },
      { kind: 'projects', action: 'delete', target: 'PRJ-001' },
    ]);
    expect(store.pending().map((entry) => ('base_version' in entry ? entry.base_version : null))).toEqual([3, 5, 7, 9, null, null, 8]);
  });

  it('keeps a version the user named, and the key given for a single change', () => {
    store.upsert('tasks', [makeTask('TASK-000001', { version: 3 })]);
    store.queue([{ kind: 'tasks', action: 'update', target: 'TASK-000001', body: { title: 'x' }, base_version: 2 }], { key: 'key-1' });
    expect(store.pending()[0]).toMatchObject({ base_version: 2, key: 'key-1' });
  });

  it('a refused change queues nothing and changes nothing (one transaction)', () => {
    store.upsert('tasks', [makeTask('TASK-000001')]);
    const generation = store.generation('tasks');
    expect(() =>
      store.queue(
        [
          { kind: 'tasks', action: 'update', target: 'TASK-000001', body: { title: 'changed' } },
          { kind: 'tasks', action: 'update', target: 'TASK-999999', body: { title: 'unknown' } },
        ],
        {
          checkCurrent: (_change, current) => {
            if (current === undefined) throw new Error('not in the store');
          },
        },
      ),
    ).toThrow('not in the store');
    expect(store.pendingCount()).toBe(0);
    expect(store.get('tasks', 'TASK-000001')?.title).toBe('Task TASK-000001');
    expect(store.generation('tasks')).toBe(generation);
  });

  it('of every kind: projects and sprints are applied too; add-tasks moves the tasks to their new version', () => {
    store.upsert('projects', [project]);
    store.upsert('sprints', [sprint]);
    store.upsert('tasks', [makeTask('TASK-000001', { version: 2 })]);
    store.queue([
      { kind: 'projects', action: 'update', target: 'PRJ-001', body: { name: 'Web 2' } },
      { kind: 'projects', action: 'create', target: 'PRJ-L0000000b', body: { name: 'New' } },
      { kind: 'sprints', action: 'start', target: 'SPR-001' },
      { kind: 'sprints', action: 'add-tasks', target: 'SPR-001', task_ids: ['TASK-000001'] },
    ]);
    expect(store.get('projects', 'PRJ-001')).toMatchObject({ name: 'Web 2', version: 2 });
    expect(store.get('projects', 'PRJ-L0000000b')).toMatchObject({ name: 'New', version: 1 });
    expect(store.get('sprints', 'SPR-001')).toMatchObject({ status: 'active', version: 2 });
    expect(store.get('tasks', 'TASK-000001')).toMatchObject({ sprint_id: 'SPR-001', project_id: 'PRJ-001', version: 3 });
    expect(store.all('tasks', { sprint_id: 'SPR-001' }).map((task) => task.id)).toEqual(['TASK-000001']);
    store.queue([{ kind: 'projects', action: 'delete', target: 'PRJ-L0000000b' }]);
    expect(store.get('projects', 'PRJ-L0000000b')).toBeUndefined();
    expect(store.pending().map((entry) => `${entry.kind} ${entry.action}`)).toEqual([
      'projects update',
      'projects create',
      'sprints start',
      'sprints add-tasks',
      'projects delete',
    ]);
  });
});

describe('settle', () => {
  it('applied: the entry leaves the outbox, the server’s record replaces the local one', () => {
    store.upsert('tasks', [makeTask('TASK-000001', { version: 3 })]);
    store.queue([{ kind: 'tasks', action: 'update', target: 'TASK-000001', body: { priority: 'high' } }]);
    const [entry] = store.pending();
    const answer = makeTask('TASK-000001', { priority: 'high', version: 4, updated_at: '2026-02-01T00:00:00Z' });
    store.settleApplied(entry as Entry, 'TASK-000001', answer);
    expect(store.pendingCount()).toBe(0);
    expect(store.get('tasks', 'TASK-000001')).toEqual(answer);
    expect(store.db.prepare('SELECT outcome FROM settled WHERE entry = ?').get(entry?.entry ?? null)).toEqual({ outcome: 'applied' });
  });

  it('changes of the record still queued behind the settled one stay applied on top of the server’s answer', () => {
    store.upsert('tasks', [makeTask('TASK-000001', { version: 2 })]);
    store.queue([
      { kind: 'tasks', action: 'update', target: 'TASK-000001', body: { title: 'first' } },
      { kind: 'tasks', action: 'update', target: 'TASK-000001', body: { priority: 'high' } },
    ]);
    const [first] = store.pending();
    // The sync stops after the first change (killed, or the API went away): the second stays queued.
    store.settleApplied(first as Entry, 'TASK-000001', makeTask('TASK-000001', { title: 'first', version: 3, updated_at: '2026-02-01T00:00:00Z' }));
    expect(store.get('tasks', 'TASK-000001')).toMatchObject({ title: 'first', priority: 'high', version: 4 });
    // A change made offline now is based on the version the queued one leads to, as the server will have it.
    store.queue([{ kind: 'tasks', action: 'update', target: 'TASK-000001', body: { assignee: 'bob' } }]);
    expect(store.pending().map((entry) => ('base_version' in entry ? entry.base_version : null))).toEqual([3, 4]);
  });

  it('a record created offline keeps its queued changes once it has its server id; a queued delete keeps it deleted', () => {
    store.queue([
      { kind: 'projects', action: 'create', target: 'PRJ-L0000000a', body: { name: 'Offline' } },
      { kind: 'projects', action: 'update', target: 'PRJ-L0000000a', body: { description: 'queued' } },
      { kind: 'tasks', action: 'create', target: 'TASK-L0000000b', body: { title: 'gone soon' } },
      { kind: 'tasks', action: 'delete', target: 'TASK-L0000000b' },
    ]);
    const [createProject, , createTask] = store.pending() as [Entry, Entry, Entry];
    store.settleApplied(createProject, 'PRJ-L0000000a', { ...project, id: 'PRJ-042', name: 'Offline' });
    expect(store.get('projects', 'PRJ-042')).toMatchObject({ name: 'Offline', description: 'queued', version: 2 });
    store.settleApplied(createTask, 'TASK-L0000000b', makeTask('TASK-000042', { title: 'gone soon' }));
    expect(store.get('tasks', 'TASK-000042')).toBeUndefined();
    expect(store.get('tasks', 'TASK-L0000000b')).toBeUndefined();
  });

  it('a create trades its temporary id for the server’s, in the records and changes that name it', () => {
    store.queue([
      { kind: 'projects', action: 'create', target: 'PRJ-L0000000a', body: { name: 'Offline' } },
      { kind: 'tasks', action: 'create', target: 'TASK-L0000000b', body: { title: 'In it', project_id: 'PRJ-L0000000a' } },
      { kind: 'sprints', action: 'create', target: 'SPR-L0000000c', body: { name: 'S', project_id: 'PRJ-L0000000a', start_date: '2026-01-01', end_date: '2026-01-02' } },
    ]);
    const [first] = store.pending();
    store.settleApplied(first as Entry, 'PRJ-L0000000a', { ...project, id: 'PRJ-042', name: 'Offline' });
    expect(store.get('projects', 'PRJ-L0000000a')).toBeUndefined();
    expect(store.get('projects', 'PRJ-042')).toMatchObject({ name: 'Offline' });
    expect(store.resolveId('PRJ-L0000000a')).toBe('PRJ-042');
    expect(store.resolveId('PRJ-001')).toBe('PRJ-001');
    expect(store.get('tasks', 'TASK-L0000000b')?.project_id).toBe('PRJ-042');
    expect(store.get('sprints', 'SPR-L0000000c')?.project_id).toBe('PRJ-042');
    expect(store.all('tasks', { project_id: 'PRJ-042' }).map((task) => task.id)).toEqual(['TASK-L0000000b']);
    // A queued change of the server id is still found by the temporary id it was made under.
    store.queue([{ kind: 'projects', action: 'update', target: 'PRJ-L0000000a', body: { name: 'Renamed' } }]);
    expect(store.hasQueued('PRJ-042')).toBe(true);
  });

  it('a delete the server took drops the record; a conflict is listed with the server’s record, and the entry leaves the outbox', () => {
    store.upsert('tasks', [makeTask('TASK-000001'), makeTask('TASK-000002')]);
    store.queue([
      { kind: 'tasks', action: 'delete', target: 'TASK-000001' },
      { kind: 'tasks', action: 'update', target: 'TASK-000002', body: { title: 'mine' } },
    ]);
    const [remove, update] = store.pending() as [Entry, Entry];
    store.settleApplied(remove, 'TASK-000001', null);
    expect(store.get('tasks', 'TASK-000001')).toBeUndefined();
    const remote = makeTask('TASK-000002', { title: 'theirs', version: 2 });
    const conflict: Conflict = { id: update.entry.slice(0, 8), kind: 'tasks', record_id: 'TASK-000002', entry: update, reason: 'changed on the server', remote, found_at: '2026-01-03T00:00:00.000Z' };
    store.settleConflict(conflict);
    expect(store.pendingCount()).toBe(0);
    expect(store.conflicts()).toEqual([conflict]);
    expect(store.get('tasks', 'TASK-000002')).toEqual(remote);
    store.removeConflict(conflict.id);
    expect(store.conflicts()).toEqual([]);
  });
});

describe('an outbox row that cannot be read', () => {
  it('stops pending() with an error naming the entry and the file; the row stays', () => {
    store.queue([
      { kind: 'tasks', action: 'create', target: 'TASK-L0000000a', body: { title: 'a' } },
      { kind: 'tasks', action: 'create', target: 'TASK-L0000000b', body: { title: 'b' } },
    ]);
    const [, second] = outboxRows();
    store.db.prepare('UPDATE outbox SET change = ? WHERE seq = ?').run('{"kind":"tasks","act', second?.seq ?? null);
    expect(() => store.pending()).toThrow(new RegExp(`${store.file.replaceAll('/', '\\/')} \\(outbox entry ${String(second?.seq)}, queued .*\\) is damaged`));
    expect(outboxRows()).toHaveLength(2);
    // A row that parses but is not a change is no change either.
    store.db.prepare('UPDATE outbox SET change = ? WHERE seq = ?').run('[1,2]', second?.seq ?? null);
    expect(() => store.pending()).toThrow(/outbox entry/);
  });
});

describe('claim("sync"): one sender at a time', () => {
  it('a live holder keeps it; a dead one’s claim is taken over; release lets the next in', async () => {
    expect(store.claim('sync')).toBe(true);
    expect(store.claim('sync')).toBe(true); // this process again
    store.release('sync');
    store.setMeta('sync_owner', String(process.ppid));
    expect(store.claim('sync')).toBe(false);
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid ?? 0;
    await new Promise((resolve) => child.once('exit', resolve));
    store.setMeta('sync_owner', String(pid));
    expect(store.claim('sync')).toBe(true);
    store.release('sync');
    expect(store.meta('sync_owner')).toBeUndefined();
  });
});

describe('two handles on one file (two dtm processes)', () => {
  it('see each other’s committed changes', () => {
    const other = LocalStore.open(dir, url);
    try {
      const change: Change = { kind: 'tasks', action: 'create', target: 'TASK-L0000000a', body: { title: 'from the other' } };
      other.queue([change]);
      expect(store.pending().map((entry) => entry.target)).toEqual(['TASK-L0000000a']);
      expect(store.get('tasks', 'TASK-L0000000a')?.title).toBe('from the other');
    } finally {
      other.close();
    }
  });

  it('last sync times and generations are kept per kind', () => {
    expect(store.lastSync('tasks')).toBeUndefined();
    store.upsert('tasks', [makeTask('TASK-000001')], '2026-05-01T00:00:00.000Z');
    expect(store.lastSync('tasks')).toBe('2026-05-01T00:00:00.000Z');
    expect(store.lastSync('projects')).toBeUndefined();
    expect(store.generation('tasks')).toBe(1);
    expect(store.generation('projects')).toBe(0);
    store.remove('tasks', ['TASK-000001']);
    expect(store.generation('tasks')).toBe(2);
    store.remove('tasks', ['TASK-000001']);
    expect(store.generation('tasks')).toBe(2);
  });
});
