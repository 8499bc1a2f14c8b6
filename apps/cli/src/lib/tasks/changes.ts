import type { Task, TaskCreate, TaskPriority, TaskStatus, TaskUpdate } from '@dtm/sdk';
import { usageError } from '../errors.js';
import { checkDate, checkId, checkTag, checkText, checkUsername, parseHours } from './values.js';

/** The task-field flags of `task create`, `task update` and `task bulk-update`, as oclif parsed them. */
export interface TaskFieldInput {
  title?: string | undefined;
  description?: string | undefined;
  status?: TaskStatus | undefined;
  priority?: TaskPriority | undefined;
  project?: string | undefined;
  sprint?: string | undefined;
  assignee?: string | undefined;
  tag?: string[] | undefined;
  due?: string | undefined;
  estimate?: string | undefined;
  'clear-description'?: boolean | undefined;
  'clear-project'?: boolean | undefined;
  'clear-sprint'?: boolean | undefined;
  'clear-assignee'?: boolean | undefined;
  'clear-tags'?: boolean | undefined;
  'clear-due'?: boolean | undefined;
  'clear-estimate'?: boolean | undefined;
}

/** Each `--clear-x` flag, the field it clears, the flag it contradicts and the cleared value. */
const clears = [
  ['clear-description', 'description', 'description', null],
  ['clear-project', 'project_id', 'project', null],
  ['clear-sprint', 'sprint_id', 'sprint', null],
  ['clear-assignee', 'assignee', 'assignee', null],
  ['clear-tags', 'tags', 'tag', []],
  ['clear-due', 'due_date', 'due', null],
  ['clear-estimate', 'estimate_hours', 'estimate', null],
] as const;

/** The change a set of flags asks for; only the fields given are in it. Values are checked. */
export function taskChanges(input: TaskFieldInput): TaskUpdate {
  const changes: TaskUpdate = {};
  if (input.title !== undefined) changes.title = checkText(input.title, '--title', 200);
  if (input.description !== undefined) changes.description = checkText(input.description, '--description', 10_000, 0);
  if (input.status !== undefined) changes.status = input.status;
  if (input.priority !== undefined) changes.priority = input.priority;
  if (input.project !== undefined) changes.project_id = checkId('project', input.project, '--project');
  if (input.sprint !== undefined) changes.sprint_id = checkId('sprint', input.sprint, '--sprint');
  if (input.assignee !== undefined) changes.assignee = checkUsername(input.assignee, '--assignee');
  if (input.tag !== undefined) {
    const tags = [...new Set(input.tag.map((tag) => checkTag(tag.trim(), '--tag')))];
    if (tags.length > 20) throw usageError(`A task has at most 20 tags; --tag gives ${tags.length}.`);
    changes.tags = tags;
  }
  if (input.due !== undefined) changes.due_date = checkDate(input.due, '--due');
  if (input.estimate !== undefined) changes.estimate_hours = parseHours(input.estimate, '--estimate');
  for (const [flag, field, setter, cleared] of clears) {
    if (input[flag] !== true) continue;
    if (input[setter] !== undefined) throw usageError(`--${flag} and --${setter} contradict each other; pass one.`);
    Object.assign(changes, { [field]: cleared });
  }
  return changes;
}

/** The body of `createTask` from the flags of `task create`. */
export function taskCreate(input: TaskFieldInput & { title: string }): TaskCreate {
  return taskChanges(input) as TaskCreate;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** What applying `changes` to `task` would change, field by field (nothing for equal values). */
export function taskDiff(task: Task, changes: TaskUpdate): FieldChange[] {
  const diff: FieldChange[] = [];
  for (const [field, to] of Object.entries(changes)) {
    const from = (task as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) diff.push({ field, from, to });
  }
  return diff;
}

/** A field value for people: `-` for none, lists joined with commas. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map((item) => showValue(item)).join(',');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `status: pending → completed; assignee: - → alice`. */
export function describeChanges(changes: readonly FieldChange[]): string {
  return changes.map((change) => `${change.field}: ${showValue(change.from)} → ${showValue(change.to)}`).join('; ');
}
