import { OrderedTasks } from './ordered-tasks.js';
import type { Task } from './types.js';

/** The filters of listTasks that test a field for equality (status and priority: one of several values). */
export interface EqualityFilter {
  status?: readonly string[] | undefined;
  priority?: readonly string[] | undefined;
  project_id?: string | undefined;
  sprint_id?: string | undefined;
  assignee?: string | undefined;
}

/** The tasks that share status, priority, project, sprint and assignee. */
interface Group {
  readonly sample: Task;
  readonly tasks: OrderedTasks;
}

// `~` marks null so that it cannot be mistaken for a value (an assignee may be called "null").
const part = (value: string | null): string => (value === null ? '~' : `=${value}`);
const groupKey = (task: Task): string =>
  `${task.status}|${task.priority}|${part(task.project_id)}|${part(task.sprint_id)}|${part(task.assignee)}`;

const oneOf = (wanted: readonly string[] | undefined, value: string): boolean =>
  wanted === undefined || wanted.length === 0 || wanted.includes(value);

export function hasEqualityFilter(filter: EqualityFilter): boolean {
  return (
    (filter.status?.length ?? 0) > 0 ||
    (filter.priority?.length ?? 0) > 0 ||
    filter.project_id !== undefined ||
    filter.sprint_id !== undefined ||
    filter.assignee !== undefined
  );
}

/**
 * Tasks grouped by every field an equality filter can test, each group in every sort order.
 * There are far fewer groups than tasks (a few per status × priority × sprint × person), so
 * the tasks matching any combination of those filters are the union of the groups that
 * match: counted without looking at a task, and listed by merging the groups' orders.
 */
export class TaskGroups {
  readonly #groups = new Map<string, Group>();

  /** Regroups the tasks, given in id order. */
  rebuild(tasksById: readonly Task[]): void {
    const members = new Map<string, Task[]>();
    for (const task of tasksById) {
      const key = groupKey(task);
      const list = members.get(key);
      if (list) list.push(task);
      else members.set(key, [task]);
    }
    this.#groups.clear();
    for (const [key, tasks] of members) this.#groups.set(key, { sample: tasks[0] as Task, tasks: new OrderedTasks(tasks) });
  }

  add(task: Task): void {
    const key = groupKey(task);
    const group = this.#groups.get(key);
    if (group) group.tasks.add(task);
    else this.#groups.set(key, { sample: task, tasks: new OrderedTasks([task]) });
  }

  remove(task: Task): void {
    const key = groupKey(task);
    const group = this.#groups.get(key);
    if (!group) return;
    group.tasks.remove(task);
    if (group.tasks.size === 0) this.#groups.delete(key);
  }

  replace(previous: Task, next: Task): void {
    const key = groupKey(next);
    const group = this.#groups.get(key);
    if (group && key === groupKey(previous)) {
      group.tasks.replace(previous, next);
      return;
    }
    this.remove(previous);
    this.add(next);
  }

  /** The groups whose tasks pass the filter's equality tests. */
  matching(filter: EqualityFilter): OrderedTasks[] {
    const found: OrderedTasks[] = [];
    for (const { sample, tasks } of this.#groups.values()) {
      if (
        oneOf(filter.status, sample.status) &&
        oneOf(filter.priority, sample.priority) &&
        (filter.project_id === undefined || sample.project_id === filter.project_id) &&
        (filter.sprint_id === undefined || sample.sprint_id === filter.sprint_id) &&
        (filter.assignee === undefined || sample.assignee === filter.assignee)
      ) {
        found.push(tasks);
      }
    }
    return found;
  }
}
