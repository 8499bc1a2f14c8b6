import type { BulkOperation, BulkRequest, BulkResponse, Problem, Task, TaskUpdate } from '@dtm/sdk';
import { describeError } from '../describe-error.js';
import { type FieldChange, taskDiff } from './changes.js';

/** "1 task", "3 tasks". */
export function taskCount(tasks: number): string {
  return `${tasks} task${tasks === 1 ? '' : 's'}`;
}

/** The API takes at most this many operations per bulk request. */
export const maxBatchSize = 500;

/** A task to update, at the version it was listed at. */
export interface BulkTarget {
  id: string;
  version: number;
}

export interface BulkFailure {
  id: string;
  /** The HTTP status of the operation, or null when no answer came for its batch. */
  status: number | null;
  message: string;
}

/** What `dtm task bulk-update --json` prints. */
export interface BulkUpdateResult {
  matched: number;
  updated: number;
  failed: number;
  dry_run: boolean;
  failures: BulkFailure[];
  /** Under --dry-run: what each matching task would change. */
  preview?: { id: string; title: string; changes: FieldChange[] }[];
}

export type Preview = NonNullable<BulkUpdateResult['preview']>;

/**
 * The tasks to update, each once (offset paging can repeat a task that moved between pages
 * while they were read), and with `withPreview` what each would change.
 */
export async function collectTargets(
  tasks: AsyncIterable<Task> | Iterable<Task>,
  changes: TaskUpdate,
  withPreview: boolean,
): Promise<{ targets: BulkTarget[]; preview: Preview }> {
  const targets: BulkTarget[] = [];
  const preview: Preview = [];
  const seen = new Set<string>();
  for await (const task of tasks) {
    if (seen.has(task.id)) continue;
    seen.add(task.id);
    targets.push({ id: task.id, version: task.version });
    if (withPreview) preview.push({ id: task.id, title: task.title, changes: taskDiff(task, changes) });
  }
  return { targets, preview };
}

/** collectTargets over tasks already in memory (the local store's answer). */
export function collectTargetsNow(tasks: readonly Task[], changes: TaskUpdate, withPreview: boolean): { targets: BulkTarget[]; preview: Preview } {
  return {
    targets: tasks.map((task) => ({ id: task.id, version: task.version })),
    preview: withPreview ? tasks.map((task) => ({ id: task.id, title: task.title, changes: taskDiff(task, changes) })) : [],
  };
}

/** Splits a list into runs of at most `size` items, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/**
 * Runs `work` on every item with at most `limit` running at a time; the results are in the
 * order of the items, whatever order the work finishes in. The first rejection rejects the
 * whole at once, and no new work starts after it (work already running is not cancelled).
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a concurrency must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One update operation per task, each applied only if the task is still at the listed version. */
export function updateOperations(targets: readonly BulkTarget[], changes: TaskUpdate): BulkOperation[] {
  return targets.map((target): BulkOperation => ({ op: 'update', id: target.id, if_match: `"${target.version}"`, data: changes }));
}

/** A problem in one line: its detail (or title), then the fields it names that the detail does not. */
export function problemMessage(problem: Problem | undefined, status: number): string {
  if (!problem) return `failed with status ${status}`;
  const text = problem.detail ?? problem.title;
  const fields = (problem.errors ?? []).filter((error) => !text.includes(error.message));
  return fields.length === 0 ? text : `${text} (${fields.map((error) => `${error.field}: ${error.message}`).join('; ')})`;
}

/** The operations of a bulk response that failed, with the id of their task. */
export function failuresOf(targets: readonly BulkTarget[], response: BulkResponse): { updated: number; failures: BulkFailure[] } {
  const failures: BulkFailure[] = [];
  const byIndex = new Map(response.results.map((result) => [result.index, result]));
  let updated = 0;
  targets.forEach((target, index) => {
    const result = byIndex.get(index);
    if (result === undefined) {
      failures.push({ id: target.id, status: null, message: 'the server sent no result for this task' });
    } else if (result.status >= 400) {
      failures.push({ id: target.id, status: result.status, message: problemMessage(result.error, result.status) });
    } else {
      updated++;
    }
  });
  return { updated, failures };
}

/** An error of a whole bulk request, as the SDK raises it (recognised by name; the SDK is loaded lazily). */
interface BatchError {
  name?: string;
  status?: number;
  message?: string;
  hint?: string;
}

/** Errors after which no further batch is sent: the API cannot be reached, or will not accept us. */
const fatal = new Set(['ConnectionError', 'TimeoutError', 'CircuitOpenError', 'RequestAbortedError']);

export interface BulkRunOptions {
  batchSize: number;
  concurrency: number;
  /** Called after each batch with how many tasks it held. */
  onBatch?: (size: number) => void;
}

/**
 * Sends `updateOperations` in batches of `batchSize`, `concurrency` requests at a time, and
 * collects every task's outcome. A batch the API refuses as a whole (an error status, no
 * answer) fails each of its tasks with that error; once the API is unreachable the
 * remaining batches are not sent. Authentication errors are rethrown: they need a login,
 * not a report.
 */
export async function runBulkUpdate(
  bulk: (request: BulkRequest) => Promise<BulkResponse>,
  targets: readonly BulkTarget[],
  changes: TaskUpdate,
  options: BulkRunOptions,
): Promise<{ updated: number; failures: BulkFailure[] }> {
  let stopped: string | undefined;
  const outcomes = await mapConcurrent(chunk(targets, options.batchSize), options.concurrency, async (batch) => {
    try {
      if (stopped !== undefined) return failAll(batch, null, `not sent: ${stopped}`);
      const response = await bulk({ operations: updateOperations(batch, changes) });
      return failuresOf(batch, response);
    } catch (error) {
      const problem = error as BatchError;
      if (problem.name === 'AuthenticationError') throw error;
      // In the user's words ("Cannot change the tasks: the server failed (503 …)"), not the SDK's call name.
      const message = describeError(error).message;
      if (fatal.has(problem.name ?? '')) stopped ??= message.charAt(0).toLowerCase() + message.slice(1);
      return failAll(batch, problem.status ?? null, message);
    } finally {
      options.onBatch?.(batch.length);
    }
  });
  return {
    updated: outcomes.reduce((sum, outcome) => sum + outcome.updated, 0),
    failures: outcomes.flatMap((outcome) => outcome.failures),
  };
}

function failAll(batch: readonly BulkTarget[], status: number | null, message: string): { updated: number; failures: BulkFailure[] } {
  return { updated: 0, failures: batch.map((target) => ({ id: target.id, status, message })) };
}

/** 0 when every task was updated (or none matched), 1 when none was, 3 (partial) otherwise. */
export function bulkExitCode(result: Pick<BulkUpdateResult, 'updated' | 'failed'>): 0 | 1 | 3 {
  if (result.failed === 0) return 0;
  return result.updated === 0 ? 1 : 3;
}
