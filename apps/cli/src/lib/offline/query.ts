// The server's list semantics, applied to the local copy: the same filters, order and paging
// as listTasks, listProjects and listSprints, so an answer from the local copy matches what
// the server gave for the same query when the copy was taken.
import type { ListProjectsParams, ListSprintsParams, Project, Sprint, Task, TaskFilters } from '@dtm/sdk';

export interface Window {
  limit: number;
  offset: number;
}

export interface PageOf<T> extends Window {
  items: T[];
  total: number;
}

/** Workflow order of statuses and rank order of priorities, as the server sorts them. */
export const statusRank: Record<Task['status'], number> = { pending: 0, in_progress: 1, blocked: 2, completed: 3, cancelled: 4 };
export const priorityRank: Record<Task['priority'], number> = { low: 0, medium: 1, high: 2, critical: 3 };

type TaskSort = NonNullable<TaskFilters['sort']>;
type SortKey = 'id' | 'title' | 'status' | 'priority' | 'due_date' | 'created_at' | 'updated_at';

const compareText = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

/** Strings with nulls last, whichever the direction. */
function compareNullable(a: string | null, b: string | null, sign: number): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return sign * compareText(a, b);
}

/** The server's task order: by the sort key (a leading - reverses it), then by id. */
export function taskComparator(sort: TaskSort = 'id'): (a: Task, b: Task) => number {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as SortKey;
  const sign = descending ? -1 : 1;
  const byKey = (a: Task, b: Task): number => {
    switch (key) {
      case 'priority':
        return sign * (priorityRank[a.priority] - priorityRank[b.priority]);
      case 'status':
        return sign * (statusRank[a.status] - statusRank[b.status]);
      case 'title':
        return sign * a.title.localeCompare(b.title);
      case 'due_date':
        return compareNullable(a.due_date, b.due_date, sign);
      default:
        return sign * compareText(a[key], b[key]);
    }
  };
  return (a, b) => byKey(a, b) || compareText(a.id, b.id);
}

function contains(needle: string | undefined, ...haystacks: (string | null)[]): boolean {
  if (needle === undefined) return true;
  const lower = needle.toLowerCase();
  return haystacks.some((text) => text !== null && text.toLowerCase().includes(lower));
}

/** Every task matching every filter, in the filter's order. */
export function matchTasks(tasks: readonly Task[], filters: TaskFilters): Task[] {
  const statuses = filters.status && filters.status.length > 0 ? new Set(filters.status) : undefined;
  const priorities = filters.priority && filters.priority.length > 0 ? new Set(filters.priority) : undefined;
  const since = filters.updated_since === undefined ? undefined : Date.parse(filters.updated_since);
  return tasks
    .filter(
      (task) =>
        (statuses === undefined || statuses.has(task.status)) &&
        (priorities === undefined || priorities.has(task.priority)) &&
        (filters.project_id === undefined || task.project_id === filters.project_id) &&
        (filters.sprint_id === undefined || task.sprint_id === filters.sprint_id) &&
        (filters.assignee === undefined || task.assignee === filters.assignee) &&
        contains(filters.q, task.title, task.description) &&
        (since === undefined || Date.parse(task.updated_at) >= since),
    )
    .sort(taskComparator(filters.sort));
}

/** Projects matching the filters, by id. */
export function matchProjects(projects: readonly Project[], filters: Omit<ListProjectsParams, 'limit' | 'offset'>): Project[] {
  return projects
    .filter((project) => (filters.status === undefined || project.status === filters.status) && contains(filters.q, project.name, project.description))
    .sort((a, b) => compareText(a.id, b.id));
}

/** Sprints matching the filters, latest start first, ties by id. */
export function matchSprints(sprints: readonly Sprint[], filters: Omit<ListSprintsParams, 'limit' | 'offset'>): Sprint[] {
  return sprints
    .filter(
      (sprint) =>
        (filters.status === undefined || sprint.status === filters.status) &&
        (filters.project_id === undefined || sprint.project_id === filters.project_id),
    )
    .sort((a, b) => compareText(b.start_date, a.start_date) || compareText(a.id, b.id));
}

/** One page of the matches, as a list operation returns it. */
export function pageOf<T>(all: readonly T[], window: Window): PageOf<T> {
  return { items: all.slice(window.offset, window.offset + window.limit), total: all.length, limit: window.limit, offset: window.offset };
}
