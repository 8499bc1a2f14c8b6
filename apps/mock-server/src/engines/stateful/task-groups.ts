import { OrderedTasks } from './ordered-tasks.js';
import type { SortPositions } from './task-order.js';
import type { Task, TaskSort } from './types.js';

/** The filters of listTasks that test a field for equality (status and priority: one of several values). */
export interface EqualityFilter {
  status?: readonly string[] | undefined;
  priority?: readonly string[] | undefined;
  project_id?: string | undefined;
  sprint_id?: string | undefined;
  assignee?: string | undefined;
}

/** The tasks that share status, priority, project and sprint, and how many of them each person has. */
interface Group {
  readonly sample: Task;
  readonly tasks: OrderedTasks;
  readonly assignees: Map<string | null, number>;
}

// `~` marks null so that it cannot be mistaken for a value (an assignee may be called "null").
const part = (value: string | null): string => (value === null ? '~' : `=${value}`);
const groupKey = (task: Task): string => `${task.status}|${task.priority}|${part(task.project_id)}|${part(task.sprint_id)}`;

function countAssignee(group: Group, assignee: string | null, change: 1 | -1): void {
  const count = (group.assignees.get(assignee) ?? 0) + change;
  if (count === 0) group.assignees.delete(assignee);
  else group.assignees.set(assignee, count);
}

const oneOf = (wanted: readonly string[] | undefined, value: string): boolean =>
  wanted === undefined || wanted.length === 0 || wanted.includes(value);

/**
 * Tasks grouped by the fields equality filters test, each group in every sort order. There
 * are far fewer groups than tasks (a few per status × priority × sprint), so the tasks
 * matching those filters are the union of the groups that match: counted without looking at
 * a task, and listed by merging the groups' orders. People are too many to group by (any
 * name can be an assignee): each group counts its tasks per assignee instead, and a page for
 * one person tests the assignee of the group's tasks as it walks them.
 */
export class TaskGroups {
  readonly #groups = new Map<string, Group>();

  /** Regroups the tasks (given in id order), each group's orders taken from the orders of all. */
  rebuild(tasksById: readonly Task[], positions: SortPositions): void {
    const groupOf = new Int32Array(tasksById.length);
    const numbers = new Map<string, number>();
    const samples: Task[] = [];
    tasksById.forEach((task, position) => {
      const key = groupKey(task);
      let number = numbers.get(key);
      if (number === undefined) {
        number = samples.length;
        numbers.set(key, number);
        samples.push(task);
      }
      groupOf[position] = number;
    });
    const sorted = samples.map(() => new Map<TaskSort, Task[]>());
    for (const [sort, order] of positions) {
      const lists = samples.map((): Task[] => []);
      for (const position of order) (lists[groupOf[position] as number] as Task[]).push(tasksById[position] as Task);
      lists.forEach((list, number) => sorted[number]?.set(sort, list));
    }
    this.#groups.clear();
    for (const [key, number] of numbers) {
      const group = { sample: samples[number] as Task, tasks: new OrderedTasks(sorted[number]), assignees: new Map<string | null, number>() };
      for (const task of sorted[number]?.get('id') ?? []) countAssignee(group, task.assignee, 1);
      this.#groups.set(key, group);
    }
  }

  add(task: Task): void {
    const key = groupKey(task);
    let group = this.#groups.get(key);
    if (!group) {
      group = { sample: task, tasks: new OrderedTasks(), assignees: new Map() };
      this.#groups.set(key, group);
    }
    group.tasks.add(task);
    countAssignee(group, task.assignee, 1);
  }

  remove(task: Task): void {
    const key = groupKey(task);
    const group = this.#groups.get(key);
    if (!group) return;
    group.tasks.remove(task);
    countAssignee(group, task.assignee, -1);
    if (group.tasks.size === 0) this.#groups.delete(key);
  }

  replace(previous: Task, next: Task): void {
    const key = groupKey(next);
    const group = this.#groups.get(key);
    if (group && key === groupKey(previous)) {
      group.tasks.replace(previous, next);
      countAssignee(group, previous.assignee, -1);
      countAssignee(group, next.assignee, 1);
      return;
    }
    this.remove(previous);
    this.add(next);
  }

  /**
   * The groups whose tasks pass the filter's tests of status, priority, project and sprint,
   * and how many of their tasks pass the assignee test too.
   */
  matching(filter: EqualityFilter): { sets: OrderedTasks[]; size: number } {
    const sets: OrderedTasks[] = [];
    let size = 0;
    for (const { sample, tasks, assignees } of this.#groups.values()) {
      if (
        oneOf(filter.status, sample.status) &&
        oneOf(filter.priority, sample.priority) &&
        (filter.project_id === undefined || sample.project_id === filter.project_id) &&
        (filter.sprint_id === undefined || sample.sprint_id === filter.sprint_id)
      ) {
        const count = filter.assignee === undefined ? tasks.size : (assignees.get(filter.assignee) ?? 0);
        if (count === 0) continue;
        sets.push(tasks);
        size += count;
      }
    }
    return { sets, size };
  }
}
