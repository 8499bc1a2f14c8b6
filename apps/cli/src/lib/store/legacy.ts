// The import of a data dir written by dtm before the store (CSV copy, outbox.ndjson,
// local-ids.json, conflicts.json, breaker.json at the top of the data dir): on first use,
// the queued changes go into the outbox of the store of their API (each URL its own), the
// CSV copy into the store of the API it was taken from. The old files are then moved into
// `imported-<time>/` beside, never deleted. The import is idempotent: run twice (two
// processes at once, or a crash before the move), it adds nothing twice and never queues a
// change that was sent meanwhile.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Task } from '@dtm/sdk';
import { CliError } from '../errors.js';
import type { Change, Entry } from './changes.js';
import { parseCsv } from './csv.js';
import { type Kind, kinds, prepared, upsertRecords } from './records.js';
import { LocalStore } from './store.js';

const legacyFiles = ['local-copy.json', 'tasks.csv', 'projects.csv', 'sprints.csv', 'outbox.ndjson', 'outbox-done.ndjson', 'local-ids.json', 'conflicts.json', 'breaker.json', 'outbox.lock', 'sync.lock'];

/** A queued change as the CSV-era outbox wrote it (task changes only). */
type LegacyEntry = Omit<Change, 'kind'> & { entry: string; key: string; api_url: string; queued_at: string };

interface LegacyConflict {
  id: string;
  task_id: string;
  entry: LegacyEntry;
  reason: string;
  remote: Task | null;
  found_at: string;
}

function hasLegacyData(dataDir: string): boolean {
  return existsSync(join(dataDir, 'outbox.ndjson')) || existsSync(join(dataDir, 'local-copy.json'));
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The lines of a journal. A torn last line is a change whose command was killed before it
 * reported it queued, and is left out; any other line that cannot be read stops the import
 * (nothing queued is dropped without a word).
 */
function journal<T>(text: string | undefined, file: string): T[] {
  if (text === undefined) return [];
  const lines = text.split('\n');
  const values: T[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      if (index === lines.length - 1) return;
      throw new CliError(`Line ${index + 1} of ${file} cannot be read, so the changes queued there were not imported into the local store.`, {
        code: 'outbox_unreadable',
        hint: `Repair or remove that line (the file holds the changes dtm queued before it used a database), then run the command again.`,
      });
    }
  });
  return values;
}

async function json<T>(file: string, fallback: T): Promise<T> {
  const text = await readText(file);
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new CliError(`${file} is not valid JSON, so it could not be imported into the local store.`, { code: 'legacy_unreadable', hint: 'Repair the file, or move it away, then run the command again.' });
  }
}

export interface LegacyImport {
  /** Changes taken into the outboxes (per API URL). */
  queued: Record<string, number>;
  /** Where the old files went. */
  movedTo: string;
  notes: string[];
}

/** Imports the CSV-era data dir into the stores; answers undefined when there is none. */
export async function importLegacy(dataDir: string): Promise<LegacyImport | undefined> {
  if (!hasLegacyData(dataDir)) return undefined;
  const at = (name: string): string => join(dataDir, name);
  const owner = (await json<{ api_url?: unknown }>(at('local-copy.json'), {})).api_url;
  const entries = journal<LegacyEntry>(await readText(at('outbox.ndjson')), at('outbox.ndjson'));
  const done = new Set(journal<{ entry: string }>(await readText(at('outbox-done.ndjson')), at('outbox-done.ndjson')).map((line) => line.entry));
  const ids = await json<Record<string, string>>(at('local-ids.json'), {});
  const conflicts = await json<LegacyConflict[]>(at('conflicts.json'), []);
  const notes: string[] = [];
  const urls = new Set(entries.map((entry) => entry.api_url));
  if (typeof owner === 'string') urls.add(owner);
  const queued: Record<string, number> = {};
  for (const url of urls) {
    const store = LocalStore.open(dataDir, url);
    try {
      // A store with data already (the import ran before and was killed before the files were
      // moved) keeps it: the CSV copy is older, and would bring back records sent or deleted since.
      const copies = url === owner && !store.hasSynced() ? await readCopies(dataDir, notes) : [];
      queued[url] = store.durable(() => {
        for (const [kind, records] of copies) upsertRecords(store.db, kind, records as never[]);
        for (const [kind, , lastSync] of copies) store.setMeta(`last_sync:${kind}`, lastSync ?? new Date().toISOString());
        for (const [temporary, server] of Object.entries(ids)) prepared(store.db, 'INSERT OR IGNORE INTO temporary_ids (temporary, kind, server_id) VALUES (?, ?, ?)').run(temporary, 'tasks', server);
        let count = 0;
        const insert = prepared(store.db, 'INSERT OR IGNORE INTO outbox (entry, kind, action, target, change, idempotency_key, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
        const settled = prepared(store.db, 'SELECT 1 FROM settled WHERE entry = ?');
        for (const entry of entries) {
          if (entry.api_url !== url || done.has(entry.entry) || settled.get(entry.entry) !== undefined) continue;
          const change = { ...withoutBookkeeping(entry), kind: 'tasks' } as Change;
          count += insert.run(entry.entry, 'tasks', change.action, change.target, JSON.stringify(change), entry.key, entry.queued_at).changes;
        }
        for (const conflict of conflicts) {
          if (conflict.entry.api_url !== url) continue;
          const entry: Entry = { ...withoutBookkeeping(conflict.entry), kind: 'tasks', seq: 0, entry: conflict.entry.entry, key: conflict.entry.key, queued_at: conflict.entry.queued_at } as Entry;
          prepared(store.db, 'INSERT OR IGNORE INTO conflicts (id, kind, target, entry, reason, remote, found_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
            conflict.id,
            'tasks',
            conflict.task_id,
            JSON.stringify(entry),
            conflict.reason,
            conflict.remote === null ? null : JSON.stringify(conflict.remote),
            conflict.found_at,
          );
        }
        for (const kind of kinds) store.markChanged(kind);
        return count;
      });
    } finally {
      store.close();
    }
  }
  const movedTo = at(`imported-${new Date().toISOString().replaceAll(':', '-')}`);
  await mkdir(movedTo, { recursive: true, mode: 0o700 });
  for (const name of legacyFiles) await rename(at(name), join(movedTo, name)).catch(() => undefined);
  return { queued, movedTo, notes };
}

function withoutBookkeeping(entry: LegacyEntry): Omit<Change, 'kind'> {
  const { entry: _id, key: _key, api_url: _url, queued_at: _at, ...change } = entry;
  return change;
}

type Copy = [Kind, unknown[], string | undefined];

/** The CSV copy's collections; a damaged row is left out with a note (the API has it). */
async function readCopies(dataDir: string, notes: string[]): Promise<Copy[]> {
  const copies: Copy[] = [];
  for (const kind of kinds) {
    const file = join(dataDir, `${kind}.csv`);
    const text = await readText(file);
    if (text === undefined) continue;
    try {
      const parsed = parseCsv(kind, text, file);
      if (parsed.unreadable.length > 0) notes.push(`${file}: rows ${parsed.unreadable.join(', ')} could not be read and were left out (the next sync reads them from the API).`);
      copies.push([kind, parsed.records, parsed.lastSync]);
    } catch (error) {
      notes.push(`${file} could not be read (${error instanceof Error ? error.message : String(error)}); the next sync reads its records from the API.`);
    }
  }
  return copies;
}
