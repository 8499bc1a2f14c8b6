// What the sprint commands do with the data layer — the API first, the local store when it is
// unreachable, changes queued offline — shared by the `dtm sprint …` commands and `dtm mcp`'s
// tools, so that an agent gets exactly what a person gets.
import type { Burndown, Sprint, SprintCreate, SprintFilters, SprintPage, SprintTaskAssignmentResult, SprintUpdate, Task } from '@dtm/sdk';
import { temporaryId } from './store/changes.js';
import type { DataLayer } from './store/data-layer.js';
import type { Window } from './store/records.js';
import { explainCompleteConflict, explainStartConflict } from './sprints.js';

export function listSprintPage(data: DataLayer, filters: SprintFilters, window: Window): Promise<SprintPage> {
  return data.page('sprints', filters, window, (client) => client.sprints.list({ ...filters, ...window }));
}

/** Every sprint matching `filters`, page after page. */
export function listAllSprints(data: DataLayer, filters: SprintFilters, options: { localOnly?: string } = {}): Promise<Sprint[]> {
  return data.all('sprints', filters, (client) => client.sprints.listAll(filters), options);
}

export function getSprint(data: DataLayer, id: string): Promise<Sprint> {
  return data.record('sprints', id, (client, ifNoneMatch) => client.sprints.get(id, { ifNoneMatch }));
}

export async function createSprint(data: DataLayer, body: SprintCreate): Promise<Sprint> {
  // The body as the data layer resolved it: a project created offline has its server id by now.
  return (await data.changeRecord({ kind: 'sprints', action: 'create', target: temporaryId('sprints'), body }, (client, change, idempotencyKey) =>
    client.sprints.create(change.body, { idempotencyKey }),
  )) as Sprint;
}

/** Null when the sprint is not in the local store (queued offline). */
export function updateSprint(data: DataLayer, id: string, changes: SprintUpdate, ifMatch?: number): Promise<Sprint | null> {
  const change = { kind: 'sprints', action: 'update', target: id, body: changes, ...(ifMatch === undefined ? {} : { base_version: ifMatch }) } as const;
  return data.changeRecord(change, (client, { target }, idempotencyKey) => client.sprints.update(target, changes, { idempotencyKey, ...(ifMatch === undefined ? {} : { ifMatch }) }));
}

/** Null when the sprint is not in the local store (queued offline). */
export function startSprint(data: DataLayer, id: string): Promise<Sprint | null> {
  return data.changeRecord({ kind: 'sprints', action: 'start', target: id }, (client, { target }, idempotencyKey) =>
    client.sprints.start(target, { idempotencyKey }).catch(async (error: unknown) => {
      throw await explainStartConflict(error, target, client);
    }),
  );
}

/** Null when the sprint is not in the local store (queued offline). */
export function completeSprint(data: DataLayer, id: string): Promise<Sprint | null> {
  return data.changeRecord({ kind: 'sprints', action: 'complete', target: id }, (client, { target }, idempotencyKey) =>
    client.sprints.complete(target, { idempotencyKey }).catch((error: unknown) => {
      throw explainCompleteConflict(error, target);
    }),
  );
}

/** Puts the tasks (checked with taskIds()) into the sprint, all or none. */
export async function addSprintTasks(data: DataLayer, id: string, taskIds: string[]): Promise<SprintTaskAssignmentResult> {
  let result: SprintTaskAssignmentResult = { sprint_id: id, task_ids: taskIds };
  await data.change({ kind: 'sprints', action: 'add-tasks', target: id, task_ids: taskIds }, async (client, change, idempotencyKey) => {
    result = await client.sprints.assignTasks(change.target, (change as typeof change & { task_ids: string[] }).task_ids, { idempotencyKey });
    // The API answers with ids only, and each task is at a new version now: read them again,
    // or a later offline change of one would be sent on its old version (a false conflict).
    const moved = new Set(result.task_ids);
    const tasks: Task[] = [];
    for await (const task of client.tasks.listAll({ sprint_id: result.sprint_id }, { pageSize: 1000 })) if (moved.has(task.id)) tasks.push(task);
    await data.remember('tasks', tasks);
    return null;
  });
  return result;
}

/** Takes the tasks (checked with taskIds()) out of the sprint: one change per task (the API takes them one at a time), in order. */
export async function removeSprintTasks(data: DataLayer, id: string, taskIds: string[]): Promise<SprintTaskAssignmentResult> {
  for (const taskId of taskIds) {
    await data.change({ kind: 'sprints', action: 'remove-task', target: id, task_id: taskId }, async (client, change) => {
      const { target, task_id: resolved } = change as typeof change & { task_id: string };
      await client.sprints.unassignTask(target, resolved);
      await data.remember('tasks', [await client.tasks.get(resolved)]);
      return null;
    });
  }
  return { sprint_id: id, task_ids: taskIds };
}

/** The burndown series (the API only: the local store keeps no history to chart). */
export async function sprintBurndown(data: DataLayer, id: string): Promise<Burndown> {
  return (await data.client()).sprints.burndown(id);
}
