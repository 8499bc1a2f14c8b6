// What the task commands do with the data layer — the API first, the local store when it is
// unreachable, changes queued offline — shared by the `dtm task …` commands and `dtm mcp`'s
// tools, so that an agent gets exactly what a person gets.
import type { BulkRequest, BulkResponse, Task, TaskCreate, TaskFilters, TaskHistoryEntry, TaskUpdate } from '@dtm/sdk';
import type { Progress } from '../render/progress.js';
import type { DataLayer } from '../store/data-layer.js';
import { temporaryId } from '../store/changes.js';
import { type BulkUpdateResult, collectTargets, collectTargetsNow, runBulkUpdate } from './bulk.js';
import { allHistory } from './history.js';
import { staleVersionError, versionOf } from './versions.js';

/** Every task matching `filters`, page after page. */
export function listAllTasks(data: DataLayer, filters: TaskFilters): Promise<Task[]> {
  return data.all('tasks', filters, (client) => client.tasks.listAll(filters));
}

/** Every history entry of a task, oldest first (the API only: the store keeps no history). */
export async function taskHistory(data: DataLayer, id: string): Promise<TaskHistoryEntry[]> {
  const client = await data.client();
  return allHistory((taskId, params) => client.tasks.history(taskId, params), id);
}

export async function createTask(data: DataLayer, body: TaskCreate): Promise<Task> {
  const task = await data.changeRecord({ kind: 'tasks', action: 'create', target: temporaryId('tasks'), body }, (client, change, idempotencyKey) =>
    client.tasks.create(change.body, { idempotencyKey }),
  );
  if (task === null) throw new Error('unreachable: a create answered no task');
  return task;
}

/** Null when the task is not in the local store (queued offline). */
export function updateTask(data: DataLayer, id: string, changes: TaskUpdate, ifMatch?: string | number): Promise<Task | null> {
  const base = versionOf(ifMatch);
  const change = { kind: 'tasks', action: 'update', target: id, body: changes, ...(base === undefined ? {} : { base_version: base }) } as const;
  return data.changeRecord(change, (client, { target }, idempotencyKey) =>
    client.tasks.update(target, changes, { idempotencyKey, ...(ifMatch === undefined ? {} : { ifMatch }) }).catch((error: unknown) => {
      throw staleVersionError(error, target);
    }),
  );
}

/** Null when the task is not in the local store (queued offline). */
export function completeTask(data: DataLayer, id: string, body: { completion_notes?: string }): Promise<Task | null> {
  return data.changeRecord({ kind: 'tasks', action: 'complete', target: id, body }, (client, { target }, idempotencyKey) => client.tasks.complete(target, body, { idempotencyKey }));
}

export interface BulkUpdateOptions {
  dryRun: boolean;
  /** Tasks per bulk request, and bulk requests in flight at once. */
  batchSize: number;
  concurrency: number;
  /** Shows how far the updates are, once the number of tasks is known. */
  progress?: (total: number) => Promise<Progress>;
}

/**
 * Every task matching `filters` changed by `changes`, through the bulk endpoint, each only if it
 * is still at the version it was listed at. Offline the local store answers which tasks match,
 * and one change per task is queued (`data.local` says so).
 */
export async function bulkUpdateTasks(data: DataLayer, filters: TaskFilters, changes: TaskUpdate, options: BulkUpdateOptions): Promise<BulkUpdateResult> {
  const { targets, preview } = await data.read(
    'tasks',
    async (client) => collectTargets(client.tasks.listAll({ ...filters, sort: 'id' }, { pageSize: 1000 }), changes, options.dryRun),
    (store) => collectTargetsNow(store.all('tasks', { ...filters, sort: 'id' }), changes, options.dryRun),
  );
  const result = (updated: number, failures: BulkUpdateResult['failures'] = []): BulkUpdateResult => ({ matched: targets.length, updated, failed: failures.length, dry_run: false, failures });
  if (options.dryRun) return { ...result(0), dry_run: true, preview };
  if (data.local !== undefined) {
    if (targets.length === 0) return result(0);
    const queued = await data.queue(
      targets.map(({ id, version }) => ({ kind: 'tasks', action: 'update', target: id, body: changes, base_version: version })),
      data.local.reason,
    );
    return result(queued.length);
  }
  const client = await data.client();
  const progress = await options.progress?.(targets.length);
  // The updated tasks are kept in the store a thousand at a time (a commit per batch of 100 costs more than the rows).
  let updated: Task[] = [];
  const keep = async (): Promise<void> => {
    const tasks = updated;
    updated = [];
    if (tasks.length > 0) await data.remember('tasks', tasks);
  };
  try {
    const bulk = async (request: BulkRequest): Promise<BulkResponse> => {
      const response = await client.tasks.bulk(request);
      for (const answer of response.results) if (answer.task !== undefined) updated.push(answer.task);
      if (updated.length >= 1000) await keep();
      return response;
    };
    const outcome = await runBulkUpdate(bulk, targets, changes, {
      batchSize: options.batchSize,
      concurrency: options.concurrency,
      onBatch: (size) => {
        progress?.increment(size);
      },
    });
    return result(outcome.updated, outcome.failures);
  } finally {
    progress?.stop();
    await keep();
  }
}
