import { type Cursor, SortedList } from './sorted-list.js';
import { taskComparator } from './task-order.js';
import type { Task, TaskSort } from './types.js';

/**
 * The orders a group keeps. Its tasks share status and priority, so sorting them by either
 * leaves them in id order (ties are broken by id), and `-id` is the id order read backwards.
 */
export const keptSorts = ['id', 'title', '-title', 'due_date', '-due_date', 'created_at', '-created_at', 'updated_at', '-updated_at'] as const;
type KeptSort = (typeof keptSorts)[number];

const keptFor = (sort: TaskSort): KeptSort => (keptSorts as readonly TaskSort[]).includes(sort) ? (sort as KeptSort) : 'id';

/** A set of tasks of one status and priority, kept in every order listTasks can sort by. */
export class OrderedTasks {
  readonly #orders: Map<KeptSort, SortedList<Task>>;

  /** `sorted` gives the tasks in each kept order (task-order.ts's sortPositions); none for an empty set. */
  constructor(sorted?: ReadonlyMap<TaskSort, readonly Task[]>) {
    this.#orders = new Map(keptSorts.map((sort) => [sort, new SortedList(taskComparator(sort), sorted?.get(sort) ?? [])]));
  }

  get size(): number {
    return this.#list('id').size;
  }

  #list(sort: KeptSort): SortedList<Task> {
    return this.#orders.get(sort) as SortedList<Task>;
  }

  /** A cursor at the first task of a sort's order. */
  cursor(sort: TaskSort): Cursor<Task> {
    return sort === '-id' ? this.#list('id').backwardCursor() : this.#list(keptFor(sort)).cursor(0);
  }

  /** Up to `limit` tasks from position `offset` of a sort's order. */
  slice(sort: TaskSort, offset: number, limit: number): Task[] {
    if (sort !== '-id') return this.#list(keptFor(sort)).slice(offset, limit);
    const list = this.#list('id');
    // Position p from the end is position size - 1 - p from the start.
    const end = list.size - offset;
    return list.slice(Math.max(0, end - limit), Math.min(limit, Math.max(0, end))).reverse();
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
  updatedSince(time: string): { size: number; cursor: () => Cursor<Task> } {
    const order = this.#list('updated_at');
    // An empty id sorts before every task with the same updated_at.
    const start = order.rank({ updated_at: time, id: '' } as Task);
    return { size: order.size - start, cursor: () => order.cursor(start) };
  }
}
