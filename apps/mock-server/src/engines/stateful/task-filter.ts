import type { Task, TaskPriority, TaskSort, TaskStatus } from './types.js';

/** The query of listTasks (and exportTasks). */
export interface TaskFilter {
  status?: TaskStatus[] | undefined;
  priority?: TaskPriority[] | undefined;
  project_id?: string | undefined;
  sprint_id?: string | undefined;
  assignee?: string | undefined;
  q?: string | undefined;
  updated_since?: string | undefined;
  sort?: TaskSort | undefined;
}

/** Whether a task passes every filter: the definition the indexes must agree with. */
export function taskMatcher(filter: TaskFilter): (task: Task) => boolean {
  const statuses = filter.status && filter.status.length > 0 ? new Set(filter.status) : undefined;
  const priorities = filter.priority && filter.priority.length > 0 ? new Set(filter.priority) : undefined;
  const q = filter.q?.toLowerCase();
  const since = filter.updated_since === undefined ? undefined : Date.parse(filter.updated_since);
  return (task) =>
    (statuses === undefined || statuses.has(task.status)) &&
    (priorities === undefined || priorities.has(task.priority)) &&
    (filter.project_id === undefined || task.project_id === filter.project_id) &&
    (filter.sprint_id === undefined || task.sprint_id === filter.sprint_id) &&
    (filter.assignee === undefined || task.assignee === filter.assignee) &&
    (q === undefined || task.title.toLowerCase().includes(q) || (task.description ?? '').toLowerCase().includes(q)) &&
    (since === undefined || Date.parse(task.updated_at) >= since);
}
