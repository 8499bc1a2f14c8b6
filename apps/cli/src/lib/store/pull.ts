// Pulls what changed on the server since the store's cursor from the API's change feed
// (GET /api/v1/changes), deletions included, and applies it page by page: each page and the
// cursor after it in one transaction, so a process killed mid-pull resumes where it stopped.
// Without a cursor (first pull, `dtm sync --rebuild`, or a cursor the server no longer knows)
// the feed starts from the beginning and yields every record once; records the server did not
// list are then dropped.
import type { Change as FeedChange, DtmClient } from '@dtm/sdk';
import { sdkErrorName } from '../sdk-errors.js';
import { isTemporaryId } from './changes.js';
import { type Kind, type RecordOf, deleteRecords, kinds, prepared, upsertRecords } from './records.js';
import type { LocalStore } from './store.js';
import { crashPoint } from './push.js';

export interface PullReport {
  /** Records written or dropped. */
  upserted: number;
  deleted: number;
  /** True when the feed was read from the beginning. */
  full: boolean;
}

const kindOf: Record<FeedChange['kind'], Kind> = { task: 'tasks', project: 'projects', sprint: 'sprints' };

/** Rows read per request. */
const pageSize = 1000;

export async function pull(client: DtmClient, store: LocalStore, options: { wait?: number; signal?: AbortSignal } = {}): Promise<PullReport> {
  const cursor = store.meta('cursor');
  try {
    return await pullFrom(client, store, cursor, options);
  } catch (error) {
    if (cursor === undefined || sdkErrorName(error) !== 'CursorExpiredError') throw error;
    store.setMeta('cursor', undefined);
    return pullFrom(client, store, undefined, options);
  }
}

async function pullFrom(client: DtmClient, store: LocalStore, cursor: string | undefined, options: { wait?: number; signal?: AbortSignal }): Promise<PullReport> {
  const full = cursor === undefined;
  const report: PullReport = { upserted: 0, deleted: 0, full };
  const seen = new Map<Kind, Set<string>>(kinds.map((kind) => [kind, new Set()]));
  let next = cursor;
  for (let first = true; ; first = false) {
    const wait = first && !full ? (options.wait ?? 0) : 0;
    const page = await client.changes.list({ limit: pageSize, ...(next === undefined ? {} : { cursor: next }), ...(wait > 0 ? { wait } : {}) }, options.signal === undefined ? {} : { signal: options.signal });
    store.transaction(() => {
      const syncedAt = new Date().toISOString();
      const queued = store.queuedIds();
      // Each change is the record's whole state (or its deletion): per id, the last one counts.
      const latest = new Map<Kind, Map<string, FeedChange>>(kinds.map((kind) => [kind, new Map()]));
      for (const change of page.items) {
        const kind = kindOf[change.kind];
        seen.get(kind)?.add(change.id);
        // A record with changes still queued keeps its local state: the queue goes out first.
        if (!queued.has(change.id)) latest.get(kind)?.set(change.id, change);
      }
      for (const [kind, changes] of latest) {
        const upserts: RecordOf<Kind>[] = [];
        const deletes: string[] = [];
        for (const change of changes.values()) {
          if (change.op === 'delete' || change.record === undefined) deletes.push(change.id);
          else upserts.push(change.record);
        }
        const upserted = upsertRecords(store.db, kind, upserts as never[]);
        const deleted = deleteRecords(store.db, kind, deletes);
        report.upserted += upserted;
        report.deleted += deleted;
        if (upserted + deleted > 0) store.markChanged(kind);
      }
      for (const kind of kinds) store.setMeta(`last_sync:${kind}`, syncedAt);
      store.setMeta('cursor', page.next_cursor);
    });
    crashPoint('pull:page');
    next = page.next_cursor;
    if (!page.has_more) break;
  }
  if (full) report.deleted += sweep(store, seen);
  return report;
}

/** After a full read: drops what the server no longer has (records created offline and records with queued changes stay). */
function sweep(store: LocalStore, seen: Map<Kind, Set<string>>): number {
  return store.transaction(() => {
    const queued = store.queuedIds();
    let deleted = 0;
    for (const [kind, listed] of seen) {
      const ids = (prepared(store.db, `SELECT id FROM ${kind}`).all() as { id: string }[]).map((row) => row.id);
      const gone = ids.filter((id) => !listed.has(id) && !isTemporaryId(id) && !queued.has(id));
      if (gone.length > 0) {
        deleted += deleteRecords(store.db, kind, gone);
        store.markChanged(kind);
      }
    }
    return deleted;
  });
}

/** Makes the store's records of a kind exactly these (a full listing from the API), keeping records created offline or with changes queued. */
export function replaceKind<K extends Kind>(store: LocalStore, kind: K, records: readonly RecordOf<K>[]): void {
  store.transaction(() => {
    const listed = new Set<string>();
    const queued = store.queuedIds();
    for (const record of records) listed.add(record.id);
    upsertRecords(store.db, kind, records.filter((record) => !queued.has(record.id)));
    store.markChanged(kind);
    store.setMeta(`last_sync:${kind}`, new Date().toISOString());
    sweep(store, new Map([[kind, listed]]));
  });
}
