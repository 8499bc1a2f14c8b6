// The changes a command can queue while the API is unreachable, of every kind, and what each
// does to the store at once (the server's own semantics, as far as they can be known offline).
import { randomUUID } from 'node:crypto';
import type { Project, ProjectCreate, ProjectUpdate, Sprint, SprintCreate, SprintUpdate, Task, TaskComplete, TaskCreate, TaskUpdate } from '@dtm/sdk';
import type { Kind, RecordOf } from './records.js';

export type Change =
  | { kind: 'tasks'; action: 'create'; target: string; body: TaskCreate }
  | { kind: 'tasks'; action: 'update'; target: string; body: TaskUpdate; base_version?: number }
  | { kind: 'tasks'; action: 'complete'; target: string; body: TaskComplete; base_version?: number }
  | { kind: 'tasks'; action: 'delete'; target: string; base_version?: number }
  | { kind: 'projects'; action: 'create'; target: string; body: ProjectCreate }
  | { kind: 'projects'; action: 'update'; target: string; body: ProjectUpdate; base_version?: number }
  | { kind: 'projects'; action: 'delete'; target: string; base_version?: number }
  | { kind: 'sprints'; action: 'create'; target: string; body: SprintCreate }
  | { kind: 'sprints'; action: 'update'; target: string; body: SprintUpdate; base_version?: number }
  | { kind: 'sprints'; action: 'delete'; target: string; base_version?: number }
  | { kind: 'sprints'; action: 'start' | 'complete'; target: string }
  | { kind: 'sprints'; action: 'add-tasks'; target: string; task_ids: string[] }
  | { kind: 'sprints'; action: 'remove-task'; target: string; task_id: string };

/** A change in the outbox. */
export type Entry = Change & {
  /** The outbox's order. */
  seq: number;
  /** This change's own id (a UUID); its first 8 characters name a conflict. */
  entry: string;
  /** Sent as Idempotency-Key, the same on every attempt. */
  key: string;
  queued_at: string;
  /** When it was first sent, if it was (a kill before it was settled leaves this set). */
  sent_at?: string;
};

const prefixes: Record<Kind, string> = { tasks: 'TASK-L', projects: 'PRJ-L', sprints: 'SPR-L' };

/** A temporary id for a record created offline: TASK-L, PRJ-L or SPR-L and 8 hex digits. */
export function temporaryId(kind: Kind): string {
  return `${prefixes[kind]}${randomUUID().replaceAll('-', '').slice(0, 8)}`;
}

/** What follows `TASK-`, `PRJ-` or `SPR-` in a temporary id (a regular expression's source). */
export const temporaryIdSuffix = 'L[0-9a-f]{8}';

export function isTemporaryId(id: string): boolean {
  return new RegExp(`^(TASK|PRJ|SPR)-${temporaryIdSuffix}$`).test(id);
}

/** The changes sent with If-Match: updates and deletions of every kind, and task completions. */
export type VersionedChange = Extract<Change, { action: 'update' | 'delete' }> | Extract<Change, { kind: 'tasks'; action: 'complete' }>;

export function takesBaseVersion(change: Change): change is VersionedChange {
  return change.action === 'update' || change.action === 'delete' || (change.kind === 'tasks' && change.action === 'complete');
}

/** The version a change was made on, when it names one. */
export function baseVersion(change: Change): number | undefined {
  return 'base_version' in change ? change.base_version : undefined;
}

/** The record as the change leaves it; null when deleted (or when the change needs a record that is not there). */
export function applyChange(current: RecordOf<Kind> | undefined, change: Change, now: string): RecordOf<Kind> | null {
  switch (change.kind) {
    case 'tasks':
      return applyToTask(current as Task | undefined, change, now);
    case 'projects':
      return applyToProject(current as Project | undefined, change, now);
    case 'sprints':
      return applyToSprint(current as Sprint | undefined, change, now);
  }
}

function applyToTask(task: Task | undefined, change: Extract<Change, { kind: 'tasks' }>, now: string): Task | null {
  if (change.action === 'create') {
    const { body } = change;
    return {
      id: change.target,
      title: body.title,
      description: body.description ?? null,
      status: body.status ?? 'pending',
      priority: body.priority ?? 'medium',
      project_id: body.project_id ?? null,
      sprint_id: body.sprint_id ?? null,
      assignee: body.assignee ?? null,
      tags: body.tags ?? [],
      due_date: body.due_date ?? null,
      estimate_hours: body.estimate_hours ?? null,
      completed_at: body.status === 'completed' ? now : null,
      completion_notes: null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
  }
  if (task === undefined || change.action === 'delete') return null;
  if (change.action === 'update') {
    const next: Task = { ...task, ...change.body, updated_at: now, version: task.version + 1 };
    if (change.body.status === 'completed' && task.status !== 'completed') next.completed_at = now;
    return next;
  }
  return {
    ...task,
    status: 'completed',
    completed_at: task.completed_at ?? now,
    completion_notes: change.body.completion_notes ?? task.completion_notes,
    updated_at: now,
    version: task.version + 1,
  };
}

function applyToProject(project: Project | undefined, change: Extract<Change, { kind: 'projects' }>, now: string): Project | null {
  if (change.action === 'create') {
    const { body } = change;
    return {
      id: change.target,
      name: body.name,
      description: body.description ?? null,
      status: body.status ?? 'active',
      owner: body.owner ?? null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
  }
  if (project === undefined || change.action === 'delete') return null;
  return { ...project, ...change.body, updated_at: now, version: project.version + 1 };
}

function applyToSprint(sprint: Sprint | undefined, change: Extract<Change, { kind: 'sprints' }>, now: string): Sprint | null {
  if (change.action === 'create') {
    const { body } = change;
    return {
      id: change.target,
      name: body.name,
      project_id: body.project_id,
      goal: body.goal ?? null,
      status: 'planned',
      start_date: body.start_date,
      end_date: body.end_date,
      started_at: null,
      completed_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
  }
  if (sprint === undefined || change.action === 'delete') return null;
  switch (change.action) {
    case 'update':
      return { ...sprint, ...change.body, updated_at: now, version: sprint.version + 1 };
    case 'start':
      return { ...sprint, status: 'active', started_at: now, updated_at: now, version: sprint.version + 1 };
    case 'complete':
      return { ...sprint, status: 'completed', completed_at: now, updated_at: now, version: sprint.version + 1 };
    // Assigning tasks changes the tasks, not the sprint (see tasksMovedBy).
    case 'add-tasks':
    case 'remove-task':
      return sprint;
  }
}

/** The tasks a sprint change moves, and where to: add-tasks and remove-task change tasks' sprint_id. */
export function tasksMovedBy(change: Change): { ids: string[]; sprintId: string | null } | undefined {
  if (change.kind !== 'sprints') return undefined;
  if (change.action === 'add-tasks') return { ids: change.task_ids, sprintId: change.target };
  if (change.action === 'remove-task') return { ids: [change.task_id], sprintId: null };
  return undefined;
}

/** A task moved into (or out of) a sprint, as the server would leave it. */
export function moveTask(task: Task, sprint: Sprint | undefined, sprintId: string | null, now: string): Task {
  const projectId = sprintId !== null && task.project_id === null && sprint !== undefined ? sprint.project_id : task.project_id;
  return { ...task, sprint_id: sprintId, project_id: projectId, updated_at: now, version: task.version + 1 };
}

/** The ids a change refers to besides its target (they may be temporary ids, resolved when it is sent). */
export function referencesOf(change: Change): string[] {
  if (change.kind === 'tasks' && (change.action === 'create' || change.action === 'update')) return [change.body.project_id, change.body.sprint_id].filter((id): id is string => typeof id === 'string');
  if (change.kind === 'sprints' && change.action === 'create') return [change.body.project_id];
  if (change.kind === 'sprints' && change.action === 'add-tasks') return change.task_ids;
  if (change.kind === 'sprints' && change.action === 'remove-task') return [change.task_id];
  return [];
}

/** The change with every temporary id the server has given an id of its own replaced by that id. */
export function resolveReferences(change: Change, resolve: (id: string) => string): Change {
  const target = resolve(change.target);
  if (change.kind === 'tasks' && (change.action === 'create' || change.action === 'update')) {
    const body = { ...change.body };
    if (typeof body.project_id === 'string') body.project_id = resolve(body.project_id);
    if (typeof body.sprint_id === 'string') body.sprint_id = resolve(body.sprint_id);
    return { ...change, target, body } as Change;
  }
  if (change.kind === 'sprints' && change.action === 'create') return { ...change, target, body: { ...change.body, project_id: resolve(change.body.project_id) } };
  if (change.kind === 'sprints' && change.action === 'add-tasks') return { ...change, target, task_ids: change.task_ids.map(resolve) };
  if (change.kind === 'sprints' && change.action === 'remove-task') return { ...change, target, task_id: resolve(change.task_id) };
  return { ...change, target };
}

/** What the queued change wanted, in a few words: `update status=completed, assignee=bob`. */
export function describeChange(change: Change): string {
  if (change.kind === 'sprints' && change.action === 'add-tasks') return `add-tasks ${change.task_ids.join(', ')}`;
  if (change.kind === 'sprints' && change.action === 'remove-task') return `remove-task ${change.task_id}`;
  if (!('body' in change)) return change.action;
  const body = Object.entries(change.body as Record<string, unknown>).map(([field, value]) => `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return body.length === 0 ? change.action : `${change.action} ${body.join(', ')}`;
}
