// The CSV mirror: tasks.csv, projects.csv and sprints.csv in the server's folder, written from
// the store — by a process of its own started after a command changed the store, so that a
// command never waits for a large mirror. A kind's file is written again only when its data
// changed (the store counts changes per kind; the mirror remembers the count it wrote).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Kind, type RecordOf, countRecords, eachRecord, kinds } from './records.js';
import type { LocalStore } from './store.js';

export function mirrorFile(store: LocalStore, kind: Kind): string {
  return join(store.dir, `${kind}.csv`);
}

/** The kinds whose mirror file is behind the store. */
export function staleKinds(store: LocalStore): Kind[] {
  return kinds.filter((kind) => store.generation(kind) !== Number(store.meta(`mirror:${kind}`) ?? -1) && store.lastSync(kind) !== undefined);
}

/** Rows are handed to the file in runs of this many records. */
const rowsPerWrite = 500;

/** Writes one kind's file: to a temporary file first, then renamed over the old one (a reader sees the old or the new file, whole). */
async function writeKind(store: LocalStore, kind: Kind): Promise<void> {
  // Loaded here: a command that only checks whether the mirror is stale does not pay for the CSV modules.
  const { csvHeader, csvRows } = await import('./csv.js');
  const generation = store.generation(kind);
  const file = mirrorFile(store, kind);
  const temporary = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temporary, { mode: 0o600 });
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    // One read transaction: the count, the Last Sync line and the rows agree with each other.
    const snapshot = store.db.transaction(() => ({ count: countRecords(store.db, kind), lastSync: store.lastSync(kind) ?? new Date().toISOString() }));
    const { count, lastSync } = snapshot();
    await write(csvHeader(kind, count, lastSync));
    let batch: RecordOf<Kind>[] = [];
    for (const record of eachRecord(store.db, kind)) {
      batch.push(record);
      if (batch.length === rowsPerWrite) {
        await write(csvRows(kind, batch));
        batch = [];
      }
    }
    await write(csvRows(kind, batch));
    out.end();
    await once(out, 'close');
    await rename(temporary, file);
  } catch (error) {
    out.destroy();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  store.setMeta(`mirror:${kind}`, String(generation));
}

/**
 * Brings every stale file of the mirror up to date, and keeps at it while commands change the
 * store meanwhile. One writer at a time: another one started meanwhile leaves at once, and the
 * one writing looks again after it let go, so no change is left unwritten.
 */
export async function writeMirror(store: LocalStore): Promise<void> {
  for (;;) {
    if (!store.claim('mirror')) return;
    try {
      for (const kind of staleKinds(store)) await writeKind(store, kind);
    } finally {
      store.release('mirror');
    }
    if (staleKinds(store).length === 0) return;
  }
}



/**
 * Starts the mirror writer in the background when the store changed: a detached `dtm` that
 * outlives this command (its output goes nowhere; a failure shows as a stale mirror, which
 * `dtm status sync` reports). DTM_MIRROR=inline writes it in this process instead (tests), and
 * DTM_MIRROR=off not at all.
 */
export async function scheduleMirror(store: LocalStore, apiUrl: string): Promise<void> {
  if (process.env.DTM_MIRROR === 'off' || staleKinds(store).length === 0) return;
  if (process.env.DTM_MIRROR === 'inline') {
    await writeMirror(store);
    return;
  }
  const bin = process.argv[1];
  if (bin === undefined) return;
  const child = spawn(process.execPath, [bin, 'mirror', '--api-url', apiUrl], { detached: true, stdio: 'ignore', env: process.env });
  child.unref();
}
