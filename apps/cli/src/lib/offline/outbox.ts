// The outbox: task changes made while the API was unreachable, kept until `dtm sync` (or the
// next command that reaches the API) has sent them.
//
// Files in the data dir:
//   outbox.ndjson       one queued change per line, appended and fsync'd before the command
//                       reports success; never rewritten
//   outbox-done.ndjson  one line per change the server has settled (applied, or a conflict),
//                       appended and fsync'd after the server answered
//   local-ids.json      temporary ids of tasks created offline → the ids the server gave them
//   conflicts.json      changes the server refused because the task moved on meanwhile
//   outbox.lock         held while the outbox or the local copy is changed (short)
//   sync.lock           held by the one process sending the outbox
//
// A change is pending when it is in outbox.ndjson and not in outbox-done.ndjson. A process
// killed at any point leaves either a whole line or a torn last line that no command reported
// as queued (ignored). A change sent but not yet marked done is sent again with the same
// Idempotency-Key (the server replays its first answer) or found already in place.
import { randomUUID } from 'node:crypto';
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Task, TaskComplete, TaskCreate, TaskUpdate } from '@dtm/sdk';
import { writeFileAtomically } from '../files.js';
import { withLock } from './lock.js';

export type QueuedChange =
  | { action: 'create'; target: string; body: TaskCreate }
  | { action: 'update'; target: string; body: TaskUpdate; base_version?: number }
  | { action: 'complete'; target: string; body: TaskComplete; base_version?: number }
  | { action: 'delete'; target: string; base_version?: number };

export type Entry = QueuedChange & {
  /** This change's own id (a UUID); its first 8 characters name a conflict. */
  entry: string;
  /** Sent as Idempotency-Key, the same on every attempt. */
  key: string;
  api_url: string;
  queued_at: string;
};

export interface Settled {
  entry: string;
  outcome: 'applied' | 'conflict';
  at: string;
}

export interface Conflict {
  /** First 8 characters of the entry id. */
  id: string;
  task_id: string;
  entry: Entry;
  /** Why the server did not take the change. */
  reason: string;
  /** The task on the server when the conflict was found; null when it is gone. */
  remote: Task | null;
  found_at: string;
}

export const files = {
  outbox: 'outbox.ndjson',
  done: 'outbox-done.ndjson',
  ids: 'local-ids.json',
  conflicts: 'conflicts.json',
  lock: 'outbox.lock',
  syncLock: 'sync.lock',
} as const;

/**
 * A failpoint for the crash tests: when DTM_TEST_CRASH_AT names this point, the process kills
 * itself with SIGKILL here, as a crash or `kill -9` at the worst moment would.
 */
export function crashPoint(name: 'append:torn' | 'append:written' | 'sync:sent' | 'sync:settled'): void {
  if (process.env.DTM_TEST_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}

/** A temporary id for a task created offline: TASK-L and 8 hex digits. */
export function temporaryId(): string {
  return `TASK-L${randomUUID().replaceAll('-', '').slice(0, 8)}`;
}

export function isTemporaryId(id: string): boolean {
  return /^TASK-L[0-9a-f]{8}$/.test(id);
}

export function newEntry(change: QueuedChange, apiUrl: string, key: string = randomUUID()): Entry {
  return { ...change, entry: randomUUID(), key, api_url: apiUrl, queued_at: new Date().toISOString() };
}

/** Holds the outbox lock (outbox and local copy changes) for `work`. */
export function withOutboxLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  return withLock(join(dir, files.lock), work);
}

/** Appends one JSON line and fsyncs it; a torn last line left by a killed process is closed first. */
async function appendLine(file: string, value: unknown): Promise<void> {
  const handle = await open(file, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    const line = `${prefix}${JSON.stringify(value)}\n`;
    if (process.env.DTM_TEST_CRASH_AT === 'append:torn') {
      await handle.write(line.slice(0, line.length >> 1));
      await handle.sync();
      crashPoint('append:torn');
    }
    await handle.write(line);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The whole lines of a journal; a torn line (from a killed writer) is skipped. */
async function readLines<T>(file: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const values: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      // a torn line: its writer was killed before it reported the change as queued
    }
  }
  return values;
}

/** Appends a change (call under the outbox lock). */
export function append(dir: string, entry: Entry): Promise<void> {
  return appendLine(join(dir, files.outbox), entry);
}

/** Records that the server settled a change (call under the sync lock). */
export function settle(dir: string, entry: Entry, outcome: Settled['outcome']): Promise<void> {
  return appendLine(join(dir, files.done), { entry: entry.entry, outcome, at: new Date().toISOString() } satisfies Settled);
}

/** The changes not settled yet, oldest first. */
export async function pending(dir: string): Promise<Entry[]> {
  const [entries, done] = await Promise.all([readLines<Entry>(join(dir, files.outbox)), readLines<Settled>(join(dir, files.done))]);
  const settled = new Set(done.map((line) => line.entry));
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (settled.has(entry.entry) || seen.has(entry.entry)) return false;
    seen.add(entry.entry);
    return true;
  });
}

/** Empties the outbox once every change in it is settled (takes the outbox lock). */
export async function compact(dir: string): Promise<void> {
  await withOutboxLock(dir, async () => {
    if ((await pending(dir)).length > 0) return;
    // The outbox first: a crash in between leaves done lines of no entry, which are harmless.
    await unlink(join(dir, files.outbox)).catch(() => undefined);
    await unlink(join(dir, files.done)).catch(() => undefined);
  });
}

async function readJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Temporary id → server id, for the tasks created offline and sent since. */
export function readIds(dir: string): Promise<Record<string, string>> {
  return readJson<Record<string, string>>(join(dir, files.ids), {});
}

export async function saveId(dir: string, temporary: string, server: string): Promise<void> {
  await withOutboxLock(dir, async () => {
    const ids = await readIds(dir);
    ids[temporary] = server;
    await writeFileAtomically(join(dir, files.ids), `${JSON.stringify(ids, null, 2)}\n`);
  });
}

export function readConflicts(dir: string): Promise<Conflict[]> {
  return readJson<Conflict[]>(join(dir, files.conflicts), []);
}

/** Replaces the list of conflicts (under the outbox lock); `change` gets the current one. */
export async function updateConflicts(dir: string, change: (current: Conflict[]) => Conflict[]): Promise<void> {
  await withOutboxLock(dir, async () => {
    const next = change(await readConflicts(dir));
    const file = join(dir, files.conflicts);
    if (next.length === 0) await unlink(file).catch(() => undefined);
    else await writeFileAtomically(file, `${JSON.stringify(next, null, 2)}\n`);
  });
}
