// Sends the outbox to the API, in order, each change exactly once: creates carry their
// Idempotency-Key (a resend gets the first answer), updates, completions and deletions carry
// If-Match with the version they were made on. A change the server refuses because the task
// moved on becomes a conflict for `dtm sync resolve`, never an overwrite.
import type { DtmClient, Task } from '@dtm/sdk';
import { isApiError, isUnreachable, serverDetail } from '../sdk-errors.js';
import * as copy from './local-copy.js';
import {
  type Conflict,
  type Entry,
  type QueuedChange,
  compact,
  crashPoint,
  files,
  isTemporaryId,
  pending,
  readIds,
  saveId,
  settle,
  updateConflicts,
  withOutboxLock,
} from './outbox.js';
import { join } from 'node:path';
import { tryWithLock, withLock } from './lock.js';

export interface SyncReport {
  /** Changes the server took. */
  applied: number;
  /** Changes that became conflicts in this run. */
  conflicts: Conflict[];
  /** Changes still queued (the API became unreachable, or belong to another API). */
  remaining: number;
  /** Why sending stopped early, when it did. */
  stoppedBy?: unknown;
}

/** The task as the change leaves it in the local copy; null when deleted. */
export function applyLocally(task: Task | undefined, change: QueuedChange, now: string): Task | null {
  switch (change.action) {
    case 'create':
      return {
        id: change.target,
        title: change.body.title,
        description: change.body.description ?? null,
        status: change.body.status ?? 'pending',
        priority: change.body.priority ?? 'medium',
        project_id: change.body.project_id ?? null,
        sprint_id: change.body.sprint_id ?? null,
        assignee: change.body.assignee ?? null,
        tags: change.body.tags ?? [],
        due_date: change.body.due_date ?? null,
        estimate_hours: change.body.estimate_hours ?? null,
        completed_at: change.body.status === 'completed' ? now : null,
        completion_notes: null,
        created_at: now,
        updated_at: now,
        version: 1,
      };
    case 'update': {
      if (task === undefined) return null;
      const next: Task = { ...task, ...change.body, updated_at: now, version: task.version + 1 };
      if (change.body.status === 'completed' && task.status !== 'completed') next.completed_at = now;
      return next;
    }
    case 'complete':
      if (task === undefined) return null;
      return {
        ...task,
        status: 'completed',
        completed_at: task.completed_at ?? now,
        completion_notes: change.body.completion_notes ?? task.completion_notes,
        updated_at: now,
        version: task.version + 1,
      };
    case 'delete':
      return null;
  }
}

/** True when the task already shows what the change asked for (so a resend must not conflict). */
export function alreadyApplied(remote: Task, change: QueuedChange): boolean {
  switch (change.action) {
    case 'update':
      return Object.entries(change.body).every(([field, value]) => JSON.stringify(remote[field as keyof Task]) === JSON.stringify(value));
    case 'complete':
      return remote.status === 'completed';
    default:
      return false;
  }
}

/** Writes a server answer into the local copy (under the outbox lock); never fails the sync. */
async function refreshCopy(dir: string, apiUrl: string, drop: readonly string[], task: Task | undefined): Promise<void> {
  await withOutboxLock(dir, async () => {
    if ((await copy.ownerOf({ dir })) !== apiUrl) return;
    if (drop.length > 0) await copy.remove('tasks', drop, { dir });
    if (task !== undefined) await copy.upsert('tasks', [task], { dir });
  }).catch(() => undefined);
}

type Outcome = { applied: Task | null } | { conflict: string; remote: Task | null };

async function send(client: DtmClient, entry: Entry, target: string): Promise<Outcome> {
  const ifMatch = 'base_version' in entry && entry.base_version !== undefined ? { ifMatch: entry.base_version } : {};
  try {
    switch (entry.action) {
      case 'create':
        return { applied: await client.tasks.create(entry.body, { idempotencyKey: entry.key }) };
      case 'update':
        return { applied: await client.tasks.update(target, entry.body, { ...ifMatch, idempotencyKey: entry.key }) };
      case 'complete':
        return { applied: await client.tasks.complete(target, entry.body, { ...ifMatch, idempotencyKey: entry.key }) };
      case 'delete':
        await client.tasks.delete(target, ifMatch);
        return { applied: null };
    }
  } catch (error) {
    if (!isApiError(error) || error.status === 401 || error.status === 403 || error.status >= 500 || error.status === 429) throw error;
    if (error.status === 404) {
      // Deleting what is gone is done; changing what is gone is a conflict.
      return entry.action === 'delete' ? { applied: null } : { conflict: `${target} was deleted on the server`, remote: null };
    }
    if (error.status === 412 && entry.action !== 'create') {
      const remote = await client.tasks.get(target).catch((lookup: unknown) => {
        if (isApiError(lookup) && lookup.status === 404) return null;
        throw lookup;
      });
      if (remote === null) return entry.action === 'delete' ? { applied: null } : { conflict: `${target} was deleted on the server`, remote };
      if (alreadyApplied(remote, entry)) return { applied: remote };
      return {
        conflict: `${target} changed on the server since version ${String(entry.base_version)} (now version ${remote.version})`,
        remote,
      };
    }
    // 400, 409, 422: the server will never take this change as it is.
    const remote = entry.action === 'create' ? null : await client.tasks.get(target).catch(() => null);
    return { conflict: `the server refused it: ${serverDetail(error)}`, remote };
  }
}

/**
 * Sends every pending change for `apiUrl`, oldest first. Stops at the first change the API
 * cannot be reached for (it stays queued); an authentication error is thrown.
 */
export async function replay(client: DtmClient, apiUrl: string, dir: string): Promise<SyncReport> {
  const report: SyncReport = { applied: 0, conflicts: [], remaining: 0 };
  const queue = await pending(dir);
  const ids = await readIds(dir);
  /** Tasks with a conflicted change in this run: their later changes conflict as well. */
  const blocked = new Map<string, string>();
  for (const [index, entry] of queue.entries()) {
    if (entry.api_url !== apiUrl) {
      report.remaining++;
      continue;
    }
    const target = ids[entry.target] ?? entry.target;
    let outcome: Outcome;
    const earlier = blocked.get(target);
    if (earlier !== undefined) {
      outcome = { conflict: `it follows a change of ${target} that conflicted (${earlier})`, remote: null };
    } else if (entry.action !== 'create' && isTemporaryId(target)) {
      outcome = { conflict: `${target} was never created on the server`, remote: null };
    } else {
      try {
        outcome = await send(client, entry, target);
      } catch (error) {
        if (!isUnreachable(error) && !(isApiError(error) && (error.status >= 500 || error.status === 429))) throw error;
        report.stoppedBy = error;
        report.remaining += queue.slice(index).filter((rest) => rest.api_url === apiUrl).length;
        break;
      }
    }
    crashPoint('sync:sent');
    if ('applied' in outcome) {
      if (entry.action === 'create' && outcome.applied !== null) {
        await saveId(dir, entry.target, outcome.applied.id);
        ids[entry.target] = outcome.applied.id;
      }
      await settle(dir, entry, 'applied');
      crashPoint('sync:settled');
      report.applied++;
      const drop = outcome.applied === null ? [target] : entry.target !== target ? [entry.target] : [];
      await refreshCopy(dir, apiUrl, drop, outcome.applied ?? undefined);
    } else {
      const conflict: Conflict = {
        id: entry.entry.slice(0, 8),
        task_id: target,
        entry,
        reason: outcome.conflict,
        remote: outcome.remote,
        found_at: new Date().toISOString(),
      };
      await updateConflicts(dir, (current) => [...current.filter((known) => known.id !== conflict.id), conflict]);
      await settle(dir, entry, 'conflict');
      blocked.set(target, conflict.id);
      report.conflicts.push(conflict);
      if (outcome.remote !== null) await refreshCopy(dir, apiUrl, [], outcome.remote);
    }
  }
  if (report.remaining === 0) await compact(dir);
  return report;
}

/** replay() holding the sync lock; waits for another sync to finish first. */
export function syncNow(client: DtmClient, apiUrl: string, dir: string): Promise<SyncReport> {
  return withLock(join(dir, files.syncLock), () => replay(client, apiUrl, dir), { timeoutMs: 120_000 });
}

/** replay() unless another process is sending the outbox right now (then undefined). */
export async function syncIfIdle(client: DtmClient, apiUrl: string, dir: string): Promise<SyncReport | undefined> {
  return (await tryWithLock(join(dir, files.syncLock), () => replay(client, apiUrl, dir)))?.value;
}
