// The files of a sandbox's local store, read directly: the SQLite store of its server (opened
// read-only with better-sqlite3, beside any running `dtm`) and the CSV mirror in the server's
// folder. For tests that look at what is on disk; tests of behaviour go through `dtm` itself.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Project, Sprint, Task } from '@dtm/sdk';
import { openReadOnly, serverDir, storeFile } from '../../../src/lib/store/database.js';
import type { Kind } from '../../../src/lib/store/records.js';

export interface Stored {
  tasks: Task;
  projects: Project;
  sprints: Sprint;
}

/** The folder of `apiUrl`'s data under `dataDir`: its store.db and its CSV mirror. */
export function folderOf(dataDir: string, apiUrl: string): string {
  return serverDir(dataDir, apiUrl);
}

export function storePathOf(dataDir: string, apiUrl: string): string {
  return storeFile(serverDir(dataDir, apiUrl));
}

export function mirrorPathOf(dataDir: string, apiUrl: string, kind: Kind): string {
  return join(serverDir(dataDir, apiUrl), `${kind}.csv`);
}

/** Runs `read` on the store opened read-only (closed afterwards). */
export function withStore<T>(dataDir: string, apiUrl: string, read: (db: ReturnType<typeof openReadOnly>) => T): T {
  const db = openReadOnly(storePathOf(dataDir, apiUrl));
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Every stored record of a kind, by id. */
export function storedRecords<K extends Kind>(dataDir: string, apiUrl: string, kind: K): Stored[K][] {
  return withStore(dataDir, apiUrl, (db) => (db.prepare(`SELECT data FROM ${kind} ORDER BY id`).all() as { data: string }[]).map((row) => JSON.parse(row.data) as Stored[K]));
}

export interface OutboxRow {
  seq: number;
  entry: string;
  kind: string;
  action: string;
  target: string;
  change: string;
}

export function outboxRows(dataDir: string, apiUrl: string): OutboxRow[] {
  return withStore(dataDir, apiUrl, (db) => db.prepare('SELECT seq, entry, kind, action, target, change FROM outbox ORDER BY seq').all() as OutboxRow[]);
}

export function metaValue(dataDir: string, apiUrl: string, key: string): string | undefined {
  return withStore(dataDir, apiUrl, (db) => (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value);
}

/**
 * Polls `probe` until it answers something other than undefined, for at most `timeoutMs`
 * (a background `dtm mirror` writes the mirror off the command's path): no fixed sleeps.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The text of a mirror file, once `ready` says it is the one expected. */
export async function mirrorText(dataDir: string, apiUrl: string, kind: Kind, ready: (text: string) => boolean = () => true): Promise<string> {
  return eventually(async () => {
    const text = await readFile(mirrorPathOf(dataDir, apiUrl, kind), 'utf8').catch(() => undefined);
    return text !== undefined && ready(text) ? text : undefined;
  }, `${kind}.csv of ${apiUrl}`);
}
