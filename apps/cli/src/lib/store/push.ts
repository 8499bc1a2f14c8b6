// Sends the outbox to the API, in order, each change exactly once: creates and other POSTs
// carry their Idempotency-Key (a resend gets the first answer), updates and deletions carry
// If-Match with the version they were made on. A change the server refuses because the record
// moved on becomes a conflict for `dtm sync resolve`, never an overwrite.
import type { DtmClient, Sprint, Task } from '@dtm/sdk';
import { isApiError, isUnreachable, serverDetail } from '../sdk-errors.js';
import { type Change, baseVersion, isTemporaryId, referencesOf, resolveReferences, tasksMovedBy } from './changes.js';
import type { AnyRecord, Kind } from './records.js';
import type { Conflict, LocalStore } from './store.js';

export interface PushReport {
  /** Changes the server took. */
  applied: number;
  /** Changes that became conflicts in this run. */
  conflicts: Conflict[];
  /** Changes still queued (the API became unreachable). */
  remaining: number;
  /** Why sending stopped early, when it did. */
  stoppedBy?: unknown;
}

/** A failpoint for the crash tests: with DTM_TEST_CRASH_AT naming it, the process kills itself here. */
export function crashPoint(name: string): void {
  if (process.env.DTM_TEST_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}

/**
 * What the server made of a change. `nextBase`: the version the record's next queued change
 * (made on top of this one) is to be sent on — the server's answer, or, when the server had
 * moved on without this change, the old base, so that the next one is checked strictly too.
 */
type Outcome = { applied: AnyRecord | null; nextBase?: number } | { conflict: string; remote: AnyRecord | null };

function getRecordFromApi(client: DtmClient, kind: Kind, id: string): Promise<AnyRecord> {
  return kind === 'tasks' ? client.tasks.get(id) : kind === 'projects' ? client.projects.get(id) : client.sprints.get(id);
}

/** The record on the server now, or null when it is gone. */
export async function remoteOf(client: DtmClient, kind: Kind, id: string): Promise<AnyRecord | null> {
  try {
    return await getRecordFromApi(client, kind, id);
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}

/** Sends one change as it is; answers the record as the server has it now (null when it is not a record). */
export async function sendChange(client: DtmClient, change: Change, key: string): Promise<AnyRecord | null> {
  const version = baseVersion(change);
  const ifMatch = version === undefined ? {} : { ifMatch: version };
  const write = { ...ifMatch, idempotencyKey: key };
  switch (change.kind) {
    case 'tasks':
      switch (change.action) {
        case 'create':
          return client.tasks.create(change.body, { idempotencyKey: key });
        case 'update':
          return client.tasks.update(change.target, change.body, write);
        case 'complete':
          return client.tasks.complete(change.target, change.body, write);
        case 'delete':
          await client.tasks.delete(change.target, ifMatch);
          return null;
      }
      break;
    case 'projects':
      switch (change.action) {
        case 'create':
          return client.projects.create(change.body, { idempotencyKey: key });
        case 'update':
          return client.projects.update(change.target, change.body, write);
        case 'delete':
          await client.projects.delete(change.target, ifMatch);
          return null;
      }
      break;
    case 'sprints':
      switch (change.action) {
        case 'create':
          return client.sprints.create(change.body, { idempotencyKey: key });
        case 'update':
          return client.sprints.update(change.target, change.body, write);
        case 'delete':
          await client.sprints.delete(change.target, ifMatch);
          return null;
        case 'start':
          return client.sprints.start(change.target, { idempotencyKey: key });
        case 'complete':
          return client.sprints.complete(change.target, { idempotencyKey: key });
        case 'add-tasks':
          await client.sprints.assignTasks(change.target, change.task_ids, { idempotencyKey: key });
          return null;
        case 'remove-task':
          await client.sprints.unassignTask(change.target, change.task_id);
          return null;
      }
  }
}

/** True when the record already shows what the change asked for (a resend after a lost answer must not conflict). */
export function alreadyApplied(remote: AnyRecord, change: Change): boolean {
  if ('body' in change && change.action === 'update') {
    return Object.entries(change.body).every(([field, value]) => JSON.stringify((remote as unknown as Record<string, unknown>)[field]) === JSON.stringify(value));
  }
  if (change.action === 'complete') return (remote as Task | Sprint).status === 'completed';
  if (change.action === 'start') return (remote as Sprint).status === 'active';
  return false;
}

async function send(client: DtmClient, change: Change, key: string, sentBefore: boolean): Promise<Outcome> {
  const base = baseVersion(change);
  try {
    const answer = await sendChange(client, change, key);
    return answer === null ? { applied: null } : { applied: answer, nextBase: answer.version };
  } catch (error) {
    if (!isApiError(error) || error.status === 401 || error.status === 403 || error.status === 429 || error.status >= 500) throw error;
    const { target } = change;
    const gone = `${target} was deleted on the server`;
    if (error.status === 404) {
      // Deleting (or unassigning) what is gone is done; changing what is gone is a conflict.
      return change.action === 'delete' || change.action === 'remove-task' ? { applied: null } : { conflict: gone, remote: null };
    }
    const remote = change.action === 'create' ? null : await remoteOf(client, change.kind, target);
    if (change.action !== 'create' && remote === null) return change.action === 'delete' ? { applied: null } : { conflict: gone, remote };
    if (remote !== null && alreadyApplied(remote, change)) {
      // Sent before (the process was killed before it could settle), and exactly one change
      // since the base: that was this one. Otherwise someone else got there first.
      const ours = sentBefore && base !== undefined && remote.version === base + 1;
      return { applied: remote, ...(ours ? { nextBase: remote.version } : base === undefined ? {} : { nextBase: base }) };
    }
    if (error.status === 412) {
      return { conflict: `${target} changed on the server since version ${String(baseVersion(change))} (now version ${remote?.version ?? '?'})`, remote };
    }
    // 400, 409, 422: the server will never take this change as it is.
    return { conflict: `the server refused it: ${serverDetail(error)}`, remote };
  }
}

/** After tasks moved into or out of a sprint: their new versions, from the server. */
async function refreshMovedTasks(client: DtmClient, store: LocalStore, change: Change): Promise<void> {
  const moved = tasksMovedBy(change);
  if (moved === undefined) return;
  const tasks = (await Promise.all(moved.ids.map((id) => remoteOf(client, 'tasks', id)))).filter((task): task is Task => task !== null);
  store.upsert('tasks', tasks);
}

/**
 * Sends every queued change, oldest first. Stops at the first change the API cannot be reached
 * for (it stays queued, with everything after it); an authentication error is thrown. Call
 * with the sync claimed (LocalStore.claim('sync')) so that no other process sends at the same time.
 */
export async function push(client: DtmClient, store: LocalStore): Promise<PushReport> {
  const report: PushReport = { applied: 0, conflicts: [], remaining: 0 };
  /** Records with a conflicted change in this run: their later changes conflict as well. */
  const blocked = new Map<string, string>();
  // One entry at a time, read as it is now: settling a change may rebase the next one of its record.
  for (let entry = store.nextPending(0); entry !== undefined; entry = store.nextPending(entry.seq)) {
    const change = resolveReferences(entry, (id) => store.resolveId(id));
    const target = change.target;
    const unsent = [target, ...referencesOf(change)].find((id) => isTemporaryId(id) && !(entry.action === 'create' && id === target));
    let outcome: Outcome;
    const earlier = blocked.get(target);
    if (earlier !== undefined) {
      outcome = { conflict: `it follows a change of ${target} that conflicted (${earlier})`, remote: null };
    } else if (unsent !== undefined) {
      outcome = { conflict: `${unsent} was never created on the server`, remote: null };
    } else {
      try {
        store.markSent(entry);
        outcome = await send(client, change, entry.key, entry.sent_at !== undefined);
      } catch (error) {
        if (!isUnreachable(error) && !(isApiError(error) && (error.status >= 500 || error.status === 429))) throw error;
        report.stoppedBy = error;
        report.remaining = store.pendingCount();
        break;
      }
    }
    crashPoint('sync:sent');
    if ('applied' in outcome) {
      store.settleApplied(entry, target, outcome.applied, outcome.nextBase);
      crashPoint('sync:settled');
      report.applied++;
      await refreshMovedTasks(client, store, change).catch(() => undefined);
    } else {
      const conflict: Conflict = {
        id: entry.entry.slice(0, 8),
        kind: entry.kind,
        record_id: target,
        entry,
        reason: outcome.conflict,
        remote: outcome.remote,
        found_at: new Date().toISOString(),
      };
      store.settleConflict(conflict);
      blocked.set(target, conflict.id);
      report.conflicts.push(conflict);
    }
  }
  return report;
}


