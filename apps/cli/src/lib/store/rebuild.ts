// `dtm sync --rebuild`: reads every record from the API again and keeps the changes still
// queued. A store that opens is cleared in place; a damaged one is moved aside (never deleted)
// after what can be read of its outbox, temporary ids and conflicts is carried over to a new one.
import { existsSync, renameSync } from 'node:fs';
import { type Database, isDamaged, openReadOnly, serverDir, storeFile } from './database.js';
import type { SqlValue } from './sqlite.js';
import { kinds } from './records.js';
import { LocalStore } from './store.js';

export interface RebuildReport {
  /** Changes still queued, carried over. */
  kept: number;
  /** Where a damaged store was moved, when it was. */
  movedAside?: string;
  /** Tables that could not be read from the damaged store (`outbox`: its queued changes are lost). */
  lost: string[];
}

const carried = ['outbox', 'temporary_ids', 'conflicts', 'settled'] as const;

type Rows = Record<(typeof carried)[number], Record<string, SqlValue>[]>;

/** The rows of the tables that matter, as far as the damaged file still gives them. */
function salvage(file: string): { rows: Rows; lost: string[] } {
  const rows: Rows = { outbox: [], temporary_ids: [], conflicts: [], settled: [] };
  const lost: string[] = [];
  let db: Database | undefined;
  try {
    db = openReadOnly(file);
  } catch {
    return { rows, lost: [...carried] };
  }
  for (const table of carried) {
    try {
      rows[table] = db.prepare(`SELECT * FROM ${table}`).all() as Record<string, SqlValue>[];
    } catch {
      lost.push(table);
    }
  }
  db.close();
  return { rows, lost };
}

/** Empties the records and the cursor of the store (the outbox stays), so that the next pull reads everything. */
function clearRecords(store: LocalStore): void {
  store.transaction(() => {
    for (const kind of kinds) store.clear(kind);
    store.setMeta('cursor', undefined);
  });
}

/** Prepares a full re-read: answers the store to pull into. */
export function prepareRebuild(dataDir: string, apiUrl: string): { store: LocalStore; report: RebuildReport } {
  const dir = serverDir(dataDir, apiUrl);
  const file = storeFile(dir);
  try {
    const store = LocalStore.open(dataDir, apiUrl);
    try {
      const kept = store.pendingCount();
      clearRecords(store);
      return { store, report: { kept, lost: [] } };
    } catch (error) {
      store.close();
      throw error;
    }
  } catch (error) {
    if (!isDamaged(error) && !isDamaged((error as { cause?: unknown }).cause)) throw error;
  }
  const { rows, lost } = salvage(file);
  const movedAside = `${file}.damaged-${new Date().toISOString().replaceAll(':', '-')}`;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, movedAside + suffix);
  const store = LocalStore.open(dataDir, apiUrl);
  store.durable(() => {
    for (const table of carried) {
      for (const row of rows[table]) {
        const columns = Object.keys(row);
        store.db.prepare(`INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(row));
      }
    }
  });
  return { store, report: { kept: rows.outbox.length, movedAside, lost } };
}
