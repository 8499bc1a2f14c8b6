// The local store of one API server: its records, the outbox of changes queued offline, the
// temporary ids of records created offline, the conflicts, and small state (sync cursor,
// breaker, when each kind was last synced). Every method is one transaction.
import { randomUUID } from 'node:crypto';
import { alive } from '../files.js';
import { type Change, type Entry, applyChange, moveTask, takesBaseVersion, tasksMovedBy } from './changes.js';
import { type Database, damagedStoreError, isDamaged, openDatabase, serverDir, storeFile } from './database.js';
import {
  type AnyRecord,
  type Filters,
  type Kind,
  type PageOf,
  type RecordOf,
  type Window,
  deleteRecords,
  getRecord,
  listAll,
  listPage,
  prepared,
  registerFunctions,
  upsertRecords,
} from './records.js';

export interface Conflict {
  /** First 8 characters of the entry id. */
  id: string;
  kind: Kind;
  /** The record the change was for (its server id when it has one). */
  record_id: string;
  entry: Entry;
  /** Why the server did not take the change. */
  reason: string;
  /** The record on the server when the conflict was found; null when it is gone or unknown. */
  remote: AnyRecord | null;
  found_at: string;
}

interface OutboxRow {
  seq: number;
  entry: string;
  change: string;
  idempotency_key: string;
  queued_at: string;
  sent_at: string | null;
}

export class LocalStore {
  readonly dir: string;
  readonly file: string;
  readonly db: Database;

  private constructor(dir: string, db: Database) {
    this.dir = dir;
    this.file = storeFile(dir);
    this.db = db;
    registerFunctions(db);
  }

  /** The store of `apiUrl` under `dataDir`, created on first use. */
  static open(dataDir: string, apiUrl: string): LocalStore {
    const dir = serverDir(dataDir, apiUrl);
    return new LocalStore(dir, openDatabase(dir, apiUrl));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs `work` in one (immediate) transaction; a damaged file becomes the one clear error. */
  transaction<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      if (isDamaged(error)) throw damagedStoreError(this.file, error);
      throw error;
    }
  }

  /**
   * A transaction that is on disk when it returns (synchronous=FULL): for the outbox. Records are
   * a cache the API can give again, so their transactions skip the fsync (NORMAL, still atomic
   * and consistent in WAL mode); the next durable commit carries them to disk too.
   */
  durable<T>(work: () => T): T {
    this.db.pragma('synchronous = FULL');
    try {
      return this.transaction(work);
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (isDamaged(error)) throw damagedStoreError(this.file, error);
      throw error;
    }
  }

  meta(key: string): string | undefined {
    return this.read(() => (prepared(this.db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value);
  }

  setMeta(key: string, value: string | undefined): void {
    this.transaction(() => { this.#setMeta(key, value); });
  }

  #setMeta(key: string, value: string | undefined): void {
    if (value === undefined) prepared(this.db, 'DELETE FROM meta WHERE key = ?').run(key);
    else prepared(this.db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Counts a change of a kind, so the CSV mirror knows it must be written again (call inside a transaction). */
  markChanged(kind: Kind): void {
    prepared(this.db, "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1").run(`generation:${kind}`);
  }

  generation(kind: Kind): number {
    return Number(this.meta(`generation:${kind}`) ?? 0);
  }

  /** When records of this kind last came from the API (RFC 3339), or undefined when never. */
  lastSync(kind: Kind): string | undefined {
    return this.meta(`last_sync:${kind}`);
  }

  /** Stores records as the API returned them, at `syncedAt`. */
  upsert<K extends Kind>(kind: K, records: readonly RecordOf<K>[], syncedAt = new Date().toISOString()): void {
    this.transaction(() => {
      if (upsertRecords(this.db, kind, records) > 0) this.markChanged(kind);
      this.#setMeta(`last_sync:${kind}`, syncedAt);
    });
  }

  /** Drops records the API says are gone. */
  remove(kind: Kind, ids: readonly string[]): void {
    this.transaction(() => {
      if (deleteRecords(this.db, kind, ids) > 0) this.markChanged(kind);
    });
  }

  /** Drops every record of a kind (before a full re-read). */
  clear(kind: Kind): void {
    this.transaction(() => {
      prepared(this.db, `DELETE FROM ${kind}`).run();
      this.markChanged(kind);
    });
  }

  get<K extends Kind>(kind: K, id: string): RecordOf<K> | undefined {
    return this.read(() => getRecord(this.db, kind, id));
  }

  page<K extends Kind>(kind: K, filters: Filters[K], window: Window): PageOf<RecordOf<K>> {
    return this.read(() => listPage(this.db, kind, filters, window));
  }

  all<K extends Kind>(kind: K, filters: Filters[K] = {}): RecordOf<K>[] {
    return this.read(() => listAll(this.db, kind, filters));
  }

  /** The server id a temporary id was given once its create was sent; the id itself otherwise. */
  resolveId(id: string): string {
    return this.read(() => (prepared(this.db, 'SELECT server_id FROM temporary_ids WHERE temporary = ?').get(id) as { server_id: string } | undefined)?.server_id ?? id);
  }

  /**
   * Queues changes and applies them to the records, in one transaction: either both happen or
   * neither. `checkCurrent` sees the record before each change (e.g. to refuse an unknown one).
   * Answers the records as the changes leave them (null once deleted).
   */
  queue(changes: readonly Change[], options: { key?: string; checkCurrent?: (change: Change, current: AnyRecord | undefined) => void } = {}): (AnyRecord | null)[] {
    return this.durable(() => {
      const now = new Date().toISOString();
      const insert = prepared(this.db, 'INSERT INTO outbox (entry, kind, action, target, change, idempotency_key, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      return changes.map((change) => {
        const current = getRecord(this.db, change.kind, change.target);
        options.checkCurrent?.(change, current);
        // The version the change was made on: the one the user expected, else the stored one.
        const based = takesBaseVersion(change) && change.base_version === undefined && current !== undefined ? { ...change, base_version: current.version } : change;
        const key = changes.length === 1 && options.key !== undefined ? options.key : randomUUID();
        insert.run(randomUUID(), change.kind, change.action, change.target, JSON.stringify(based), key, now);
        return this.#apply(change, current, now);
      });
    });
  }

  /** Applies a change to the stored records (inside a transaction). */
  #apply(change: Change, current: AnyRecord | undefined, now: string): AnyRecord | null {
    const next = applyChange(current, change, now);
    if (next === null) deleteRecords(this.db, change.kind, [change.target]);
    else upsertRecords(this.db, change.kind, [next as never]);
    this.markChanged(change.kind);
    const moved = tasksMovedBy(change);
    if (moved !== undefined) {
      const sprint = getRecord(this.db, 'sprints', change.target);
      const tasks = moved.ids.flatMap((id) => {
        const task = getRecord(this.db, 'tasks', id);
        return task === undefined ? [] : [moveTask(task, sprint, moved.sprintId, now)];
      });
      upsertRecords(this.db, 'tasks', tasks);
      this.markChanged('tasks');
    }
    if (change.kind === 'sprints' && change.action === 'delete') {
      // The server's semantics: the tasks of a deleted sprint stay, outside any sprint.
      const tasks = listAll(this.db, 'tasks', { sprint_id: change.target }).map((task) => moveTask(task, undefined, null, now));
      upsertRecords(this.db, 'tasks', tasks);
      this.markChanged('tasks');
    }
    return next;
  }

  /** How many changes wait in the outbox. */
  pendingCount(): number {
    return this.read(() => (prepared(this.db, 'SELECT count(*) AS n FROM outbox').get() as { n: number }).n);
  }

  /**
   * The queued changes, oldest first. An entry that cannot be read (a damaged row) is never
   * skipped: the error names it, and it stays queued.
   */
  pending(): Entry[] {
    const rows = this.read(() => prepared(this.db, 'SELECT seq, entry, change, idempotency_key, queued_at, sent_at FROM outbox ORDER BY seq').all() as OutboxRow[]);
    return rows.map((row) => this.#entryOf(row));
  }

  /** The oldest queued change after `seq` (as it is now: settling one change may rebase the next). */
  nextPending(seq: number): Entry | undefined {
    const row = this.read(() => prepared(this.db, 'SELECT seq, entry, change, idempotency_key, queued_at, sent_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1').get(seq) as OutboxRow | undefined);
    return row === undefined ? undefined : this.#entryOf(row);
  }

  #entryOf(row: OutboxRow): Entry {
    let change: Change;
    try {
      const parsed = JSON.parse(row.change) as Partial<Change> | null;
      if (typeof parsed !== 'object' || parsed === null || typeof parsed.kind !== 'string' || typeof parsed.target !== 'string') throw new Error('not a change');
      change = parsed as Change;
    } catch (error) {
      throw damagedStoreError(`${this.file} (outbox entry ${row.seq}, queued ${row.queued_at})`, error);
    }
    return { ...change, seq: row.seq, entry: row.entry, key: row.idempotency_key, queued_at: row.queued_at, ...(row.sent_at === null ? {} : { sent_at: row.sent_at }) };
  }

  /** Every record with a change still queued, by its temporary and (once sent) its server id. */
  queuedIds(): Set<string> {
    return this.read(() => {
      const ids = new Set((prepared(this.db, 'SELECT DISTINCT target FROM outbox').all() as { target: string }[]).map((row) => row.target));
      for (const row of prepared(this.db, 'SELECT temporary, server_id FROM temporary_ids').all() as { temporary: string; server_id: string }[]) {
        if (ids.has(row.temporary)) ids.add(row.server_id);
      }
      return ids;
    });
  }

  /** True when anything was ever synced from the API into this store. */
  hasSynced(): boolean {
    return this.read(() => prepared(this.db, "SELECT 1 FROM meta WHERE key LIKE 'last_sync:%' LIMIT 1").get() !== undefined);
  }

  /** True when a change of this record (by its server or temporary id) is still queued. */
  hasQueued(id: string): boolean {
    return this.read(() => {
      const ids = [id, ...(prepared(this.db, 'SELECT temporary FROM temporary_ids WHERE server_id = ?').all(id) as { temporary: string }[]).map((row) => row.temporary)];
      return ids.some((candidate) => prepared(this.db, 'SELECT 1 FROM outbox WHERE target = ? LIMIT 1').get(candidate) !== undefined);
    });
  }

  /** Notes that a change is about to be sent (not fsync'd: only a kill of the process has to be survived here). */
  markSent(entry: Entry): void {
    this.transaction(() => prepared(this.db, 'UPDATE outbox SET sent_at = ? WHERE entry = ? AND sent_at IS NULL').run(new Date().toISOString(), entry.entry));
  }

  /**
   * The server took a queued change: in one transaction the entry leaves the outbox, the
   * answer replaces the record, and a record created offline trades its temporary id for the
   * server's (in every record and queued change that refers to it). `nextBase` becomes the
   * version the record's next queued change is sent on (If-Match): it was made on top of this one.
   */
  settleApplied(entry: Entry, target: string, answer: AnyRecord | null, nextBase?: number): void {
    this.durable(() => {
      this.#settle(entry, 'applied');
      if (nextBase !== undefined) this.#rebaseNext(entry, target, nextBase);
      if (answer === null) {
        if (entry.action === 'delete') deleteRecords(this.db, entry.kind, [target]);
      } else {
        if (answer.id !== entry.target) {
          prepared(this.db, 'INSERT OR REPLACE INTO temporary_ids (temporary, kind, server_id) VALUES (?, ?, ?)').run(entry.target, entry.kind, answer.id);
          deleteRecords(this.db, entry.kind, [entry.target]);
          this.#renameReferences(entry.target, answer.id);
        }
        const record = this.#withQueuedChanges(entry.kind, answer);
        if (record === null) deleteRecords(this.db, entry.kind, [answer.id]);
        else upsertRecords(this.db, entry.kind, [record as never]);
      }
      this.markChanged(entry.kind);
    });
  }

  /**
   * The server's answer with the changes of the record still queued behind the settled one
   * applied on top (inside a transaction): the store keeps showing them, and a change made
   * offline now is based on the version they lead to, not on the server's current one.
   */
  #withQueuedChanges(kind: Kind, answer: AnyRecord): AnyRecord | null {
    const ids = [answer.id, ...(prepared(this.db, 'SELECT temporary FROM temporary_ids WHERE server_id = ?').all(answer.id) as { temporary: string }[]).map((row) => row.temporary)];
    const rows = prepared(this.db, `SELECT change FROM outbox WHERE kind = ? AND target IN (${ids.map(() => '?').join(', ')}) ORDER BY seq`).all(kind, ...ids) as { change: string }[];
    const now = new Date().toISOString();
    let record: AnyRecord | null = answer;
    for (const row of rows) {
      let change: Change;
      try {
        change = JSON.parse(row.change) as Change;
      } catch {
        // An unreadable entry stops the next `dtm sync` with its number (see pending()).
        break;
      }
      record = applyChange(record, change, now);
      if (record === null) break;
    }
    return record;
  }

  /** The record's next queued change (by any of its ids) is sent on `version`. */
  #rebaseNext(entry: Entry, target: string, version: number): void {
    const ids = [...new Set([target, entry.target, ...(prepared(this.db, 'SELECT temporary FROM temporary_ids WHERE server_id = ?').all(target) as { temporary: string }[]).map((row) => row.temporary)])];
    const next = prepared(this.db, `SELECT seq, change FROM outbox WHERE kind = ? AND target IN (${ids.map(() => '?').join(', ')}) ORDER BY seq LIMIT 1`).get(entry.kind, ...ids) as
      | { seq: number; change: string }
      | undefined;
    if (next === undefined) return;
    let change: Change;
    try {
      change = JSON.parse(next.change) as Change;
    } catch {
      return; // an unreadable entry stops the next `dtm sync` with its number (see pending())
    }
    if (!takesBaseVersion(change)) return;
    prepared(this.db, 'UPDATE outbox SET change = ? WHERE seq = ?').run(JSON.stringify({ ...change, base_version: version }), next.seq);
  }

  /** Tasks and sprints that refer to a temporary id refer to the server's id instead. */
  #renameReferences(temporary: string, serverId: string): void {
    const rename = (kind: 'tasks' | 'sprints', field: 'project_id' | 'sprint_id'): void => {
      const ids = (prepared(this.db, `SELECT id FROM ${kind} WHERE ${field} = ?`).all(temporary) as { id: string }[]).map((row) => row.id);
      const records = ids.flatMap((id) => {
        const record = getRecord(this.db, kind, id) as (AnyRecord & Record<string, unknown>) | undefined;
        return record === undefined ? [] : [{ ...record, [field]: serverId }];
      });
      if (records.length > 0) {
        upsertRecords(this.db, kind, records as never[]);
        this.markChanged(kind);
      }
    };
    rename('tasks', 'project_id');
    rename('tasks', 'sprint_id');
    rename('sprints', 'project_id');
  }

  /** The server refused a queued change: it leaves the outbox and becomes a listed conflict. */
  settleConflict(conflict: Conflict): void {
    this.durable(() => {
      this.#settle(conflict.entry, 'conflict');
      prepared(this.db, 'INSERT OR REPLACE INTO conflicts (id, kind, target, entry, reason, remote, found_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        conflict.id,
        conflict.kind,
        conflict.record_id,
        JSON.stringify(conflict.entry),
        conflict.reason,
        conflict.remote === null ? null : JSON.stringify(conflict.remote),
        conflict.found_at,
      );
      if (conflict.remote !== null) {
        upsertRecords(this.db, conflict.kind, [conflict.remote as never]);
        this.markChanged(conflict.kind);
      }
    });
  }

  #settle(entry: Entry, outcome: 'applied' | 'conflict'): void {
    prepared(this.db, 'DELETE FROM outbox WHERE entry = ?').run(entry.entry);
    prepared(this.db, 'INSERT OR REPLACE INTO settled (entry, outcome, at) VALUES (?, ?, ?)').run(entry.entry, outcome, new Date().toISOString());
  }

  conflicts(): Conflict[] {
    const rows = this.read(
      () =>
        prepared(this.db, 'SELECT id, kind, target, entry, reason, remote, found_at FROM conflicts ORDER BY found_at, id').all() as {
          id: string;
          kind: Kind;
          target: string;
          entry: string;
          reason: string;
          remote: string | null;
          found_at: string;
        }[],
    );
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      record_id: row.target,
      entry: JSON.parse(row.entry) as Entry,
      reason: row.reason,
      remote: row.remote === null ? null : (JSON.parse(row.remote) as AnyRecord),
      found_at: row.found_at,
    }));
  }

  removeConflict(id: string): void {
    this.transaction(() => prepared(this.db, 'DELETE FROM conflicts WHERE id = ?').run(id));
  }

  /**
   * Takes a job that one process at a time may do — `sync` (sending the outbox, so that changes
   * go out in order) or `mirror` (writing the CSV mirror); false while another live process holds
   * it. A killed holder's claim is taken over.
   */
  claim(job: 'sync' | 'mirror'): boolean {
    return this.transaction(() => {
      const holder = Number(this.meta(`${job}_owner`));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) return false;
      this.#setMeta(`${job}_owner`, String(process.pid));
      return true;
    });
  }

  release(job: 'sync' | 'mirror'): void {
    this.transaction(() => {
      if (this.meta(`${job}_owner`) === String(process.pid)) this.#setMeta(`${job}_owner`, undefined);
    });
  }

}

