import { randomBytes } from 'node:crypto';
import { HttpProblem } from './problems.js';
import type { RecordChange, RecordKind, Store } from './store.js';
import type { Change, ChangePage } from './types.js';

/** What the data file keeps of the feed, so cursors stay valid across a restart. */
export interface ChangeFeedSnapshot {
  epoch: string;
  seq: number;
  /** The latest change of every record, tombstones included, in change order (records themselves are in the store). */
  entries: { kind: RecordKind; id: string; seq: number; version: number; changed_at: string; deleted: boolean }[];
}

interface Latest {
  seq: number;
  change: Change;
}

// `<epoch>.<seq>`: the epoch names this feed's history, the sequence number the last change read.
const cursorPattern = /^([0-9a-f]{16})\.(0|[1-9][0-9]{0,15})$/;

const keyOf = (kind: RecordKind, id: string): string => `${kind}:${id}`;

/**
 * The contract's change feed (listChanges) over the store: every write the store reports
 * gets the next sequence number. `#latest` keeps each record's latest change (so the feed is
 * compacted) and the log every change in order, so a page is a binary search to the cursor
 * plus a scan that skips superseded entries; the log is compacted when superseded entries
 * outnumber live ones, which keeps that scan proportional to the page. The log is three
 * parallel arrays and `#latest` a map per kind, so a change costs no objects beyond its own:
 * a store of 1M tasks starts with 1M changes.
 */
export class ChangeFeed {
  readonly epoch: string;
  #seq = 0;
  readonly #latest: Record<RecordKind, Map<string, Latest>> = { project: new Map(), sprint: new Map(), task: new Map() };
  #logSeqs: number[] = [];
  #logKinds: RecordKind[] = [];
  #logIds: string[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(epoch: string = randomBytes(8).toString('hex')) {
    this.epoch = epoch;
  }

  /**
   * A feed that continues a saved one: same epoch, same sequence numbers, tombstones kept.
   * Without a snapshot (a data file from before the feed) it starts a new epoch in which every
   * record of the store is one change, so old cursors answer 410 and clients read again.
   */
  static restore(snapshot: ChangeFeedSnapshot | undefined, store: Store): ChangeFeed {
    const records = liveRecords(store);
    if (!isSnapshot(snapshot)) {
      const feed = new ChangeFeed();
      for (const change of records.values()) feed.record(change);
      return feed;
    }
    const feed = new ChangeFeed(snapshot.epoch);
    for (const entry of [...snapshot.entries].sort((a, b) => a.seq - b.seq)) {
      const key = keyOf(entry.kind, entry.id);
      const live = records.get(key);
      records.delete(key);
      if (!entry.deleted && !live) continue; // gone without a tombstone: cannot happen in a file we wrote
      const change = entry.deleted
        ? { kind: entry.kind, id: entry.id, op: 'delete', version: entry.version, changed_at: entry.changed_at }
        : { kind: entry.kind, id: entry.id, op: 'upsert', version: entry.version, changed_at: entry.changed_at, record: live?.record };
      feed.#append(entry.seq, change as Change);
    }
    feed.#seq = Math.max(feed.#seq, snapshot.seq);
    // Records the feed did not know (a hand-edited file): one change each, after the rest.
    for (const change of records.values()) feed.record(change);
    return feed;
  }

  /** Records one write of the store; wakes every long-poll. */
  readonly record = (change: RecordChange): void => {
    const { kind, id, version, at: changed_at, record } = change;
    const entry = record === undefined ? { kind, id, op: 'delete', version, changed_at } : { kind, id, op: 'upsert', version, changed_at, record };
    this.#append(this.#seq + 1, entry as Change);
    if (this.#waiters.size > 0) for (const wake of [...this.#waiters]) wake();
  };

  #append(seq: number, change: Change): void {
    this.#seq = seq;
    this.#latest[change.kind].set(change.id, { seq, change });
    this.#logSeqs.push(seq);
    this.#logKinds.push(change.kind);
    this.#logIds.push(change.id);
    const { project, sprint, task } = this.#latest;
    if (this.#logSeqs.length > 2 * (project.size + sprint.size + task.size) + 1024) this.#compact();
  }

  /** Drops the log entries a later change of the same record superseded. */
  #compact(): void {
    const seqs: number[] = [];
    const kinds: RecordKind[] = [];
    const ids: string[] = [];
    this.#logSeqs.forEach((seq, index) => {
      const kind = this.#logKinds[index] as RecordKind;
      const id = this.#logIds[index] as string;
      if (this.#latest[kind].get(id)?.seq !== seq) return;
      seqs.push(seq);
      kinds.push(kind);
      ids.push(id);
    });
    this.#logSeqs = seqs;
    this.#logKinds = kinds;
    this.#logIds = ids;
  }

  /** The latest change of the record at log position `index`, when it is the change logged there. */
  #liveAt(index: number): Latest | undefined {
    const latest = this.#latest[this.#logKinds[index] as RecordKind].get(this.#logIds[index] as string);
    return latest?.seq === this.#logSeqs[index] ? latest : undefined;
  }

  /** How many long-polls are waiting (for tests of their clean-up). */
  get waiting(): number {
    return this.#waiters.size;
  }

  cursorAt(seq: number): string {
    return `${this.epoch}.${seq}`;
  }

  /** The sequence number a cursor stands for: 0 without one; 410 for a cursor of another epoch or a malformed one. */
  position(cursor: string | undefined): number {
    if (cursor === undefined) return 0;
    const match = cursorPattern.exec(cursor);
    const seq = Number(match?.[2]);
    if (!match || match[1] !== this.epoch || seq > this.#seq) {
      const why = match ? 'was not issued by this server (another epoch: it restarted without keeping its data)' : 'is malformed';
      throw new HttpProblem(410, `The cursor ${JSON.stringify(cursor.slice(0, 80))} ${why}; read the change feed again without a cursor.`);
    }
    return seq;
  }

  /** Up to `limit` changes after `after`, each record once, in change order. */
  page(after: number, limit: number): ChangePage {
    const items: Change[] = [];
    let last = after;
    for (let index = this.#firstAfter(after); index < this.#logSeqs.length; index++) {
      const latest = this.#liveAt(index);
      if (latest === undefined) continue; // superseded by a later change of the same record
      if (items.length === limit) return { items, next_cursor: this.cursorAt(last), has_more: true };
      items.push(latest.change);
      last = latest.seq;
    }
    return { items, next_cursor: this.cursorAt(last), has_more: false };
  }

  /** Resolves when a change after `after` is recorded, after `ms`, or when `signal` aborts (the client went away). */
  waitForChange(after: number, ms: number, signal: AbortSignal): Promise<void> {
    if (this.#seq > after || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }

  snapshot(): ChangeFeedSnapshot {
    const entries: ChangeFeedSnapshot['entries'] = [];
    for (let index = 0; index < this.#logSeqs.length; index++) {
      const latest = this.#liveAt(index);
      if (latest === undefined) continue;
      const { kind, id, version, changed_at: changedAt, op } = latest.change;
      entries.push({ kind, id, seq: latest.seq, version, changed_at: changedAt, deleted: op === 'delete' });
    }
    return { epoch: this.epoch, seq: this.#seq, entries };
  }

  /** The index of the first log entry with a sequence number above `seq`. */
  #firstAfter(seq: number): number {
    let low = 0;
    let high = this.#logSeqs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#logSeqs[middle] as number) <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Every record of the store as a change, keyed like the feed; projects first, then sprints, then tasks. */
function liveRecords(store: Store): Map<string, RecordChange> {
  const all = { limit: Number.MAX_SAFE_INTEGER, offset: 0 };
  const records = new Map<string, RecordChange>();
  const add = (kind: RecordKind, record: RecordChange['record'] & object): void => {
    records.set(keyOf(kind, record.id), { kind, id: record.id, version: record.version, at: record.updated_at, record });
  };
  for (const project of store.listProjects({}, all).items) add('project', project);
  for (const sprint of store.listSprints({}, all).items) add('sprint', sprint);
  for (const task of store.matchingTasks({})) add('task', task);
  return records;
}

function isSnapshot(value: unknown): value is ChangeFeedSnapshot {
  const snapshot = value as Partial<ChangeFeedSnapshot> | undefined;
  return (
    typeof snapshot?.epoch === 'string' &&
    /^[0-9a-f]{16}$/.test(snapshot.epoch) &&
    Number.isSafeInteger(snapshot.seq) &&
    Array.isArray(snapshot.entries)
  );
}
