// Enumerations of the contract that flags offer as choices. They are restated here so that
// parsing a flag does not load the SDK; the checks below fail the typecheck when they drift
// from the types generated from openapi.yaml.
import type { ProjectStatus, SprintStatus, Task, TaskPriority, TaskStatus, components } from '@dtm/sdk';

type TaskSort = components['schemas']['TaskSort'];
/** `List` when it names every member of `Union` and nothing else; `never` (a type error) otherwise. */
export type Exactly<List extends readonly string[], Union extends string> = [Exclude<Union, List[number]>] extends [never]
  ? [Exclude<List[number], Union>] extends [never]
    ? List
    : never
  : never;

export const taskStatuses = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'] as const;
export const taskPriorities = ['low', 'medium', 'high', 'critical'] as const;
export const taskSorts = [
  'id',
  '-id',
  'title',
  '-title',
  'status',
  '-status',
  'priority',
  '-priority',
  'due_date',
  '-due_date',
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
] as const;
export const projectStatuses = ['active', 'archived'] as const;
export const sprintStatuses = ['planned', 'active', 'completed'] as const;
export const taskFields = [
  'id',
  'title',
  'description',
  'status',
  'priority',
  'project_id',
  'sprint_id',
  'assignee',
  'tags',
  'due_date',
  'estimate_hours',
  'completed_at',
  'completion_notes',
  'created_at',
  'updated_at',
  'version',
] as const;

export const checks: [
  Exactly<typeof taskStatuses, TaskStatus>,
  Exactly<typeof taskPriorities, TaskPriority>,
  Exactly<typeof taskSorts, TaskSort>,
  Exactly<typeof projectStatuses, ProjectStatus>,
  Exactly<typeof sprintStatuses, SprintStatus>,
  Exactly<typeof taskFields, Extract<keyof Task, string>>,
] = [taskStatuses, taskPriorities, taskSorts, projectStatuses, sprintStatuses, taskFields];
