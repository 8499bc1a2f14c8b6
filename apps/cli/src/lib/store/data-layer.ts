// The one data layer every command uses, the same way for tasks, projects and sprints:
// reads go to the API and fall back to the local store when it is unreachable (or with
// --offline); writes go to the API and are queued in the store when it is unreachable; every
// answer from the API is upserted into the store (only the rows that came back). Changes
// queued earlier are sent before a command's own call. Rendering is the command's business:
// the layer says what happened (`local`, the callbacks), never prints.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BreakerState, DtmClient } from '@dtm/sdk';
import { describeError } from '../describe-error.js';
import { CliError, notInLocalCopy } from '../errors.js';
import { isUnreachable } from '../sdk-errors.js';
import { type Change, isTemporaryId, referencesOf, resolveReferences } from './changes.js';
import { serverDir, storeFile } from './database.js';
import type { PullReport } from './pull.js';
import { type PushReport, crashPoint } from './push.js';
import type { AnyRecord, Filters, Kind, PageOf, RecordOf, Window } from './records.js';
import type { LocalStore } from './store.js';

export interface PersistedBreaker {
  state?: BreakerState;
  onStateChange: (state: BreakerState) => void;
}

export interface DataLayerOptions {
  apiUrl: string;
  dataDir: string;
  /** Keep the store and answer from it when the API is unreachable (DTM_FALLBACK_ENABLED). */
  fallbackEnabled: boolean;
  /** --offline: never call the API. */
  offline: boolean;
  /** --api: never answer from the store. */
  forceApi: boolean;
  /** The SDK client, with the breaker state kept in the store. */
  connect: (breaker: PersistedBreaker | undefined) => Promise<DtmClient>;
  /** The answer came from the store, or the change was queued there. */
  onLocal: (local: LocalAnswer) => void;
  /** Changes queued earlier were sent before this command's own call. */
  onSent: (report: PushReport) => void;
  debug: (line: string) => void;
}

export interface LocalAnswer {
  /** When the store was last in step with the API. */
  lastSync: string;
  reason: string;
  /** For a queued change: how many changes now wait. */
  queued?: number;
}

export class DataLayer {
  readonly #options: DataLayerOptions;
  #store: LocalStore | undefined;
  #client: Promise<DtmClient> | undefined;
  /** Set once an answer came from the store (or a change was queued there). */
  local: LocalAnswer | undefined;

  constructor(options: DataLayerOptions) {
    this.#options = options;
  }

  get apiUrl(): string {
    return this.#options.apiUrl;
  }

  /** This server's store; created only when `create` (an answer of the API is to be kept), else undefined when there is none. */
  async store(create = false): Promise<LocalStore | undefined> {
    if (this.#store !== undefined) return this.#store;
    const { dataDir, apiUrl } = this.#options;
    if (existsSync(join(dataDir, 'outbox.ndjson')) || existsSync(join(dataDir, 'local-copy.json'))) {
      const { importLegacy } = await import('./legacy.js');
      const imported = await importLegacy(dataDir);
      for (const note of imported?.notes ?? []) this.#options.debug(note);
    }
    if (!create && !existsSync(storeFile(serverDir(dataDir, apiUrl)))) return undefined;
    const { LocalStore } = await import('./store.js');
    this.#store = LocalStore.open(dataDir, apiUrl);
    return this.#store;
  }

  /** The store, which must hold data of this API (of `kind`, for an answer from it). */
  async #syncedStore(apiError: unknown, kind: Kind | undefined): Promise<LocalStore> {
    const store = await this.store();
    if (store === undefined || (kind === undefined ? !store.hasSynced() : store.lastSync(kind) === undefined)) {
      const { apiUrl } = this.#options;
      const noun = kind === undefined || kind === 'tasks' ? 'task' : kind.slice(0, -1);
      const hint = `Nothing was synced from ${apiUrl} to the local store yet: run a command while the API is reachable first (e.g. \`dtm ${noun} list --all\` or \`dtm sync\`).`;
      if (apiError === undefined) throw new CliError(`There is no local copy of the ${kind ?? 'data'} of ${apiUrl}.`, { hint, code: 'no_local_copy' });
      throw new CliError(describeError(apiError).message, { hint, code: 'unreachable', cause: apiError });
    }
    return store;
  }

  /** True when a failed API call may be answered (or queued) locally. */
  #canFallBack(error: unknown): boolean {
    return isUnreachable(error) && !this.#options.forceApi && this.#options.fallbackEnabled;
  }

  /** The SDK client; the first call sends the changes still queued (unless another `dtm` is sending them). */
  client(): Promise<DtmClient> {
    this.#client ??= this.#connect();
    return this.#client;
  }

  async #connect(): Promise<DtmClient> {
    const store = this.#options.fallbackEnabled ? await this.store() : undefined;
    const client = await this.#options.connect(store === undefined ? undefined : persistedBreaker(store, this.#options.debug));
    if (store !== undefined && store.pendingCount() > 0) {
      try {
        const report = await this.push(client, store, false);
        if (report !== undefined) this.#options.onSent(report);
      } catch (error) {
        // This command's own call reports the same trouble, more to the point.
        this.#options.debug(`could not send the changes queued offline: ${describeError(error).message}`);
      }
    }
    return client;
  }

  /** Sends the outbox holding the sync claim; `wait` for another sender to finish (else undefined at once). */
  async push(client: DtmClient, store: LocalStore, wait: boolean): Promise<PushReport | undefined> {
    const { push } = await import('./push.js');
    for (let delay = 5; !store.claim('sync'); delay = Math.min(delay * 2, 100)) {
      if (!wait) return undefined;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    try {
      return await push(client, store);
    } finally {
      store.release('sync');
    }
  }

  /**
   * `dtm sync` once: sends the queued changes (waiting for another sender to finish), then reads
   * what changed on the server. Fails when the API stopped it before anything was sent.
   */
  async sync(): Promise<{ client: DtmClient; store: LocalStore; report: PushReport; pulled: PullReport | null }> {
    // Not client(): that would send the queue first, outside this report.
    const client = await this.#options.connect(undefined);
    const store = (await this.store(true)) as LocalStore;
    const report = (await this.push(client, store, true)) as PushReport;
    if (report.stoppedBy !== undefined && report.applied === 0) {
      const { message, hint } = describeError(report.stoppedBy);
      throw new CliError(`${message}; ${report.remaining} change${report.remaining === 1 ? '' : 's'} still queued.`, {
        code: 'unreachable',
        cause: report.stoppedBy,
        ...(hint === undefined ? {} : { hint }),
      });
    }
    const { pull } = await import('./pull.js');
    return { client, store, report, pulled: report.stoppedBy === undefined ? await pull(client, store) : null };
  }

  /** A record id as the user typed it: a temporary id of a record created offline maps to its server id once sent. */
  async resolveId(id: string): Promise<string> {
    if (!isTemporaryId(id)) return id;
    return (await this.store())?.resolveId(id) ?? id;
  }

  /**
   * A read that may be answered from the store: with --offline (or `localOnly`, the reason) at
   * once; otherwise from the API, and from the store when the API is unreachable and
   * fallback is on (not with --api).
   */
  async read<R>(kind: Kind, fromApi: (client: DtmClient) => Promise<R>, fromStore: (store: LocalStore) => R, options: { localOnly?: string } = {}): Promise<R> {
    if (this.#options.offline) return this.#fromStore(kind, fromStore, undefined, '--offline');
    if (options.localOnly !== undefined) return this.#fromStore(kind, fromStore, undefined, options.localOnly);
    try {
      return await fromApi(await this.client());
    } catch (error) {
      if (!this.#canFallBack(error)) throw error;
      return this.#fromStore(kind, fromStore, error, `the API at ${this.#options.apiUrl} is unreachable`);
    }
  }

  async #fromStore<R>(kind: Kind, fromStore: (store: LocalStore) => R, apiError: unknown, reason: string): Promise<R> {
    const store = await this.#syncedStore(apiError, kind);
    const result = fromStore(store);
    this.local = { lastSync: store.lastSync(kind) ?? new Date().toISOString(), reason };
    this.#options.onLocal(this.local);
    return result;
  }

  /** One page: from the API (its records kept in the store), or from the store. */
  page<K extends Kind>(kind: K, filters: Filters[K], window: Window, list: (client: DtmClient) => Promise<PageOf<RecordOf<K>>>): Promise<PageOf<RecordOf<K>>> {
    return this.read(
      kind,
      async (client) => {
        const listed = await list(client);
        await this.remember(kind, listed.items);
        return listed;
      },
      (store) => store.page(kind, filters, window),
    );
  }

  /** Every record matching `filters`, page after page: from the API (kept in the store), or from the store. */
  all<K extends Kind>(kind: K, filters: Filters[K], walk: (client: DtmClient) => AsyncIterable<RecordOf<K>>, options: { localOnly?: string } = {}): Promise<RecordOf<K>[]> {
    return this.read(
      kind,
      async (client) => {
        const all: RecordOf<K>[] = [];
        for await (const record of walk(client)) all.push(record);
        await this.remember(kind, all);
        return all;
      },
      (store) => store.all(kind, filters),
      options,
    );
  }

  /** One record: from the API (as fresh() asks), or from the store; one created offline only from the store. */
  record<K extends Kind>(kind: K, id: string, get: (client: DtmClient, ifNoneMatch: number | undefined) => Promise<RecordOf<K> | null>): Promise<RecordOf<K>> {
    return this.read(
      kind,
      (client) => this.fresh(kind, id, (ifNoneMatch) => get(client, ifNoneMatch)),
      (store) => {
        const local = store.get(kind, id);
        if (local === undefined) throw notInLocalCopy(id);
        return local;
      },
      isTemporaryId(id) ? { localOnly: `${id} was created offline and is not on the server yet` } : {},
    );
  }

  /**
   * One record from the API, asked for with the stored version as If-None-Match: a 304 (the
   * `get` answers null) means the stored copy is current, and it is the answer. Kept like remember().
   */
  async fresh<K extends Kind>(kind: K, id: string, get: (ifNoneMatch: number | undefined) => Promise<RecordOf<K> | null>): Promise<RecordOf<K>> {
    const known = this.#options.fallbackEnabled ? (await this.store())?.get(kind, id) : undefined;
    const answer = await get(known?.version);
    if (answer === null && known === undefined) throw new Error(`the API answered 304 Not Modified for ${id}, which was asked for without If-None-Match`);
    const record = answer ?? (known as RecordOf<K>);
    await this.remember(kind, [record]);
    return record;
  }

  /** Keeps what the API returned. Never fails the command: a problem with the store is a --debug line. */
  async remember<K extends Kind>(kind: K, records: readonly RecordOf<K>[]): Promise<void> {
    await this.#keep(`save ${records.length} ${kind}`, (store) => {
      store.upsert(kind, records);
    });
  }

  /** Drops records the API deleted. */
  async forget(kind: Kind, ids: readonly string[]): Promise<void> {
    await this.#keep(`drop ${ids.join(', ')}`, (store) => {
      store.remove(kind, ids);
    });
  }

  async #keep(what: string, work: (store: LocalStore) => void): Promise<void> {
    // With fallback off nothing answers from the store, so nothing is kept.
    if (!this.#options.fallbackEnabled) return;
    try {
      const store = await this.store(true);
      if (store !== undefined) work(store);
    } catch (error) {
      this.#options.debug(`could not ${what} in the local store: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * A change: sent to the API with an idempotency key (by `send`), or — with --offline, or when
   * the API is unreachable and fallback is on — queued and applied to the store in one
   * transaction, for `dtm sync`. Answers the record as it is now (null once deleted).
   */
  async change(
    change: Change,
    send: (client: DtmClient, change: Change, idempotencyKey: string) => Promise<AnyRecord | null>,
    options: { confirmQueued?: (record: AnyRecord) => Promise<void> } = {},
  ): Promise<AnyRecord | null> {
    const key = randomUUID();
    const queue = async (reason: string, apiError?: unknown): Promise<AnyRecord | null> => {
      if (options.confirmQueued !== undefined) {
        const known = (await this.store())?.get(change.kind, change.target);
        if (known !== undefined) await options.confirmQueued(known);
      }
      const [record = null] = await this.queue([change], reason, apiError, key);
      return record;
    };
    if (this.#options.offline) return queue('--offline');
    try {
      const client = await this.client();
      // After the queued changes went out, a record created offline may have its server id now.
      const store = await this.store();
      const resolved = store === undefined ? change : resolveReferences(change, (id) => (change.action === 'create' && id === change.target ? id : store.resolveId(id)));
      const unsent = [...(change.action === 'create' ? [] : [resolved.target]), ...referencesOf(resolved)].find(isTemporaryId);
      if (unsent !== undefined) return await queue(`${unsent} is not on the server yet`);
      // Changes of a record reach the server in the order they were made: behind any still queued.
      if (change.action !== 'create' && store?.hasQueued(resolved.target) === true) return await queue(`earlier changes of ${resolved.target} are still queued`);
      return await send(client, resolved, key);
    } catch (error) {
      if (!this.#canFallBack(error)) throw error;
      return queue(`the API at ${this.#options.apiUrl} is unreachable`, error);
    }
  }

  /**
   * change() of one record whose answer is that record as the server has it now (kept in the
   * store). Null when queued for a record the store does not hold.
   */
  async changeRecord<C extends Change>(change: C, send: (client: DtmClient, change: C, idempotencyKey: string) => Promise<RecordOf<C['kind']>>): Promise<RecordOf<C['kind']> | null> {
    return (await this.change(change, async (client, resolved, idempotencyKey) => {
      const record = await send(client, resolved as C, idempotencyKey);
      await this.remember(change.kind, [record]);
      return record;
    })) as RecordOf<C['kind']> | null;
  }

  /** Queues changes (one transaction with applying them to the store); answers each record as it is now. */
  async queue(changes: readonly Change[], reason: string, apiError?: unknown, key?: string): Promise<(AnyRecord | null)[]> {
    // Changes are queued only for an API that was reached before: a mistyped --api-url must not collect them.
    const store = await this.#syncedStore(apiError, undefined);
    const results = store.queue(changes, {
      ...(key === undefined ? {} : { key }),
      checkCurrent: (change, current) => {
        if (change.action === 'create' || current !== undefined) return;
        const hint = 'Only records in the local store can be changed offline: those read or written while the API was reachable, or created offline.';
        if (apiError !== undefined) throw new CliError(describeError(apiError).message, { hint, code: 'unreachable', cause: apiError });
        throw new CliError(`${change.target} is not in the local store, so it cannot be changed offline.`, { hint, code: 'not_found' });
      },
    });
    // For the crash tests: the change is queued and applied locally, not yet reported.
    crashPoint('queue:committed');
    this.local = { lastSync: store.lastSync(changes[0]?.kind ?? 'tasks') ?? new Date().toISOString(), reason, queued: store.pendingCount() };
    this.#options.onLocal(this.local);
    return results;
  }

  /** After the output: the CSV mirror is brought up to date in the background. */
  async finish(): Promise<void> {
    const store = this.#store;
    if (store === undefined) return;
    try {
      const { scheduleMirror } = await import('./mirror.js');
      await scheduleMirror(store, this.#options.apiUrl);
    } catch (error) {
      this.#options.debug(`could not start the CSV mirror: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Not closed: closing checkpoints the write-ahead log into the database file (an fsync on
    // the command's path); left open, SQLite checkpoints it when it has grown, in some later
    // write, and the next process reads it as it is.
  }
}

/** What a command says after sending the changes queued offline first; undefined when none was sent. */
export function sentLine(report: PushReport): string | undefined {
  if (report.applied + report.conflicts.length === 0) return undefined;
  let line = `Sent ${report.applied} change${report.applied === 1 ? '' : 's'} queued offline`;
  if (report.conflicts.length > 0) line += `; ${report.conflicts.length} conflict${report.conflicts.length === 1 ? '' : 's'}: see \`dtm sync --conflicts\``;
  if (report.remaining > 0) line += `; ${report.remaining} still queued`;
  return `${line}.`;
}

/**
 * The SDK's circuit breaker, started from the state the last command left in the store and
 * saved at every change. An open breaker starts half-open: the first call of a command is the
 * probe, so a command run after the server came back reaches it at once, and one run while it
 * is still down fails over after that one attempt.
 */
function persistedBreaker(store: LocalStore, debug: (line: string) => void): PersistedBreaker {
  let saved: BreakerState | undefined;
  try {
    const parsed = JSON.parse(store.meta('breaker') ?? 'null') as unknown;
    if (isBreakerState(parsed)) saved = parsed.state === 'open' ? { ...parsed, state: 'half-open' } : parsed;
  } catch {
    // a damaged value is a closed breaker
  }
  return {
    ...(saved === undefined ? {} : { state: saved }),
    onStateChange: (state) => {
      try {
        store.setMeta('breaker', JSON.stringify(state));
      } catch (error) {
        debug(`could not save the circuit breaker state: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

function isBreakerState(value: unknown): value is BreakerState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Partial<Record<keyof BreakerState, unknown>>;
  return (
    (state.state === 'closed' || state.state === 'open' || state.state === 'half-open') &&
    typeof state.failures === 'number' &&
    (state.openedAt === null || typeof state.openedAt === 'number')
  );
}
