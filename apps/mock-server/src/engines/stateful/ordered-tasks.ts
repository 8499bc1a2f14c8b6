import { SortedList } from './sorted-list.js';
import { taskComparator, taskSorts } from './task-order.js';
import type { Task, TaskSort } from './types.js';

/** A set of tasks kept in every order listTasks can sort by. */
export class OrderedTasks {
  readonly #orders: Map<TaskSort, SortedList<Task>>;

  /** `sorted` gives the tasks in each order (task-order.ts's sortPositions); none for an empty set. */
  constructor(sorted?: ReadonlyMap<TaskSort, readonly Task[]>) {
    this.#orders = new Map(taskSorts.map((sort) => [sort, new SortedList(taskComparator(sort), sorted?.get(sort) ?? [])]));
  }

  get size(): number {
    return this.order('id').size;
  }

  order(sort: TaskSort): SortedList<Task> {
    return this.#orders.get(sort) as SortedList<Task>;
  }

  add(task: Task): void {
    for (const order of this.#orders.values()) order.insert(task);
  }

  remove(task: Task): void {
    for (const order of this.#orders.values()) order.delete(task);
  }

  replace(previous: Task, next: Task): void {
    for (const order of this.#orders.values()) order.replace(previous, next);
  }

  /** The tasks whose updated_at is `time` or later, given both in toISOString's form (so text order is time order). */
  updatedSince(time: string): { size: number; tasks: () => Iterable<Task> } {
    const order = this.order('updated_at');
    // An empty id sorts before every task with the same updated_at.
    const start = order.rank({ updated_at: time, id: '' } as Task);
    return { size: order.size - start, tasks: () => order.from(start) };
  }
}
