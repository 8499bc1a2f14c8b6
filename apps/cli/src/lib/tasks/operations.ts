// What the task commands do with the data layer — the API first, the local store when it is
// unreachable, changes queued offline — shared by the `dtm task …` commands and `dtm mcp`'s
// tools, so that an agent gets exactly what a person gets.
import type { Task, TaskCreate, TaskFilters, TaskHistoryEntry, TaskUpdate } from '@dtm/sdk';
import type { DataLayer } from '../store/data-layer.js';
import { temporaryId } from '../store/changes.js';
import { allHistory } from './history.js';
import { staleVersionError, versionOf } from './versions.js';

/** Every task matching `filters`, page after page. */
export function listAllTasks(data: DataLayer, filters: TaskFilters): Promise<Task[]> {
  return data.read(
    'tasks',
    async (client) => {
      const all: Task[] = [];
      for await (const task of client.tasks.listAll(filters)) all.push(task);
      await data.remember('tasks', all);
      return all;
    },
    (store) => store.all('tasks', filters),
  );
}

/** Every history entry of a task, oldest first (the API only: the store keeps no history). */
export async function taskHistory(data: DataLayer, id: string): Promise<TaskHistoryEntry[]> {
  const client = await data.client();
  return allHistory((taskId, params) => client.tasks.history(taskId, params), id);
}

export async function createTask(data: DataLayer, body: TaskCreate): Promise<Task> {
  const task = (await data.change({ kind: 'tasks', action: 'create', target: temporaryId('tasks'), body }, async (client, change, idempotencyKey) => {
    const created = await client.tasks.create((change as typeof change & { body: TaskCreate }).body, { idempotencyKey });
    await data.remember('tasks', [created]);
    return created;
  })) as Task | null;
  if (task === null) throw new Error('unreachable: a create answered no task');
  return task;
}

/** Null when the task is not in the local store (queued offline). */
export async function updateTask(data: DataLayer, id: string, changes: TaskUpdate, ifMatch?: string | number): Promise<Task | null> {
  const base = versionOf(ifMatch);
  const change = { kind: 'tasks', action: 'update', target: id, body: changes, ...(base === undefined ? {} : { base_version: base }) } as const;
  return (await data.change(change, async (client, { target }, idempotencyKey) => {
    const updated = await client.tasks.update(target, changes, { idempotencyKey, ...(ifMatch === undefined ? {} : { ifMatch }) }).catch((error: unknown) => {
      throw staleVersionError(error, target);
    });
    await data.remember('tasks', [updated]);
    return updated;
  })) as Task | null;
}

/** Null when the task is not in the local store (queued offline). */
export async function completeTask(data: DataLayer, id: string, body: { completion_notes?: string }): Promise<Task | null> {
  return (await data.change({ kind: 'tasks', action: 'complete', target: id, body }, async (client, { target }, idempotencyKey) => {
    const completed = await client.tasks.complete(target, body, { idempotencyKey });
    await data.remember('tasks', [completed]);
    return completed;
  })) as Task | null;
}
