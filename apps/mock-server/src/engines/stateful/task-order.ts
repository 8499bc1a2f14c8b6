import type { Task, TaskPriority, TaskSort, TaskStatus } from './types.js';

/** Every order listTasks can sort by (the contract's TaskSort). */
export const taskSorts: readonly TaskSort[] = [
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
];

type SortKey = 'id' | 'title' | 'status' | 'priority' | 'due_date' | 'created_at' | 'updated_at';
type Compare = (a: Task, b: Task) => number;

const priorityRank: Record<TaskPriority, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const statusRank: Record<TaskStatus, number> = { pending: 0, in_progress: 1, blocked: 2, completed: 3, cancelled: 4 };

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // nulls last, whichever the direction
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

const byId: Compare = (a, b) => compareNullable(a.id, b.id);

/** The order of the sort's field alone (ties compare equal). */
function keyComparator(sort: TaskSort): Compare {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as SortKey;
  const sign = descending ? -1 : 1;
  switch (key) {
    case 'priority':
      return (a, b) => sign * (priorityRank[a.priority] - priorityRank[b.priority]);
    case 'status':
      return (a, b) => sign * (statusRank[a.status] - statusRank[b.status]);
    case 'due_date':
      return (a, b) => (a.due_date === null || b.due_date === null ? 1 : sign) * compareNullable(a.due_date, b.due_date);
    case 'title':
      return (a, b) => sign * a.title.localeCompare(b.title);
    default:
      return (a, b) => sign * compareNullable(a[key], b[key]);
  }
}

/** The contract's order for a sort: by the field, nulls last, ties by id. */
export function taskComparator(sort: TaskSort): Compare {
  const byKey = keyComparator(sort);
  return (a, b) => byKey(a, b) || byId(a, b);
}

const keyOf = (sort: TaskSort): ((task: Task) => string | null) => {
  const key = (sort.startsWith('-') ? sort.slice(1) : sort) as SortKey;
  return (task) => task[key];
};

/** Sorts tasks by id, leaving them alone when they already are (as the store keeps them). */
export function sortedById(tasks: Task[]): Task[] {
  for (let index = 1; index < tasks.length; index++) {
    if (byId(tasks[index - 1] as Task, tasks[index] as Task) > 0) return tasks.sort(byId);
  }
  return tasks;
}

/**
 * The tasks (given in id order) in a sort's order, without comparing every pair: tasks are
 * grouped by the sort's field in id order, and only one task per distinct value is sorted.
 * That is the comparator's order as long as distinct values never compare equal (titles
 * that collate alike could); then it sorts them all.
 */
export function sortedBy(sort: TaskSort, tasksById: readonly Task[]): Task[] {
  if (sort === 'id') return [...tasksById];
  if (sort === '-id') return [...tasksById].reverse();
  const key = keyOf(sort);
  const groups = new Map<string | null, Task[]>();
  for (const task of tasksById) {
    const value = key(task);
    const group = groups.get(value);
    if (group) group.push(task);
    else groups.set(value, [task]);
  }
  const byKey = keyComparator(sort);
  const ordered = [...groups.values()].sort((a, b) => byKey(a[0] as Task, b[0] as Task));
  for (let index = 1; index < ordered.length; index++) {
    if (byKey((ordered[index - 1] as Task[])[0] as Task, (ordered[index] as Task[])[0] as Task) === 0) {
      return [...tasksById].sort(taskComparator(sort));
    }
  }
  return ordered.flat();
}
