import { merged } from './merge.js';
import type { Cursor } from './sorted-list.js';
import { keptSorts } from './ordered-tasks.js';
import { type TaskFilter, taskMatcher } from './task-filter.js';
import { TaskGroups } from './task-groups.js';
import { sortPositions, sortedById, taskComparator } from './task-order.js';
import type { Task } from './types.js';

// The form toISOString writes, whose text order is time order: what the store itself writes.
const canonicalTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const sum = (sets: readonly { size: number }[]): number => sets.reduce((total, set) => total + set.size, 0);

/**
 * The indexes behind listTasks: the tasks in groups that equality filters cannot tell apart,
 * each group in every order the contract can sort by (task-groups.ts).
 *
 * A page merges the matching groups in the wanted order, O(page × log groups), and its total
 * is a sum of group sizes (an assignee filter: of the groups' counts for that person). `updated_since` is a range of each group's
 * updated_at order, so it is counted without a scan too. Only `q` looks at tasks: it tests
 * the candidates for the total, then either walks the order until the page is full or sorts
 * the matches, whichever is expected to be cheaper.
 */
export class TaskIndex {
  readonly #groups = new TaskGroups();
  /** Tasks whose updated_at is not in toISOString's form (only a hand-edited data file has them): no ranges then. */
  #oddTimes = 0;

  /** Builds every index anew from the tasks, one counting sort per order: far cheaper than adding them one at a time. */
  rebuild(tasks: Task[]): void {
    const byId = sortedById(tasks);
    this.#groups.rebuild(byId, sortPositions(byId, keptSorts));
    this.#oddTimes = 0;
    for (const task of byId) this.#countTime(task, 1);
  }

  add(task: Task): void {
    this.#groups.add(task);
    this.#countTime(task, 1);
  }

  remove(task: Task): void {
    this.#groups.remove(task);
    this.#countTime(task, -1);
  }

  replace(previous: Task, next: Task): void {
    this.#groups.replace(previous, next);
    this.#countTime(previous, -1);
    this.#countTime(next, 1);
  }

  #countTime(task: Task, change: 1 | -1): void {
    if (!canonicalTime.test(task.updated_at)) this.#oddTimes += change;
  }

  /** `updated_since` in toISOString's form, when the updated_at orders can answer it as a range. */
  #sinceTime(since: string | undefined): string | undefined {
    if (since === undefined || this.#oddTimes > 0) return undefined;
    const at = Date.parse(since);
    const time = Number.isNaN(at) ? undefined : new Date(at).toISOString();
    return time !== undefined && canonicalTime.test(time) ? time : undefined;
  }

  /** One page of the tasks matching the filter, in its order, and how many match in all. */
  query(filter: TaskFilter, offset: number, limit: number): { items: Task[]; total: number } {
    const sort = filter.sort ?? 'id';
    const { sets, size } = this.#groups.matching(filter);
    const inOrder = (): Cursor<Task> => merged(sets.map((set) => set.cursor(sort)), taskComparator(sort));
    if (filter.updated_since === undefined && filter.q === undefined && filter.assignee === undefined) {
      // The sets hold exactly the matches.
      const only = sets.length === 1 ? sets[0] : undefined;
      return { items: only ? only.slice(sort, offset, limit) : take(inOrder(), () => true, offset, limit), total: size };
    }

    const matches = taskMatcher(filter);
    const sinceTime = this.#sinceTime(filter.updated_since);
    const ranges = sinceTime === undefined ? undefined : sets.map((set) => set.updatedSince(sinceTime));
    const candidates = ranges ?? sets.map((set) => ({ size: set.size, cursor: () => set.cursor('id') }));
    const collect = (): Task[] => candidates.flatMap(({ cursor }) => take(cursor(), matches, 0, Number.POSITIVE_INFINITY));
    let found: Task[] | undefined;
    let total = size;
    if (filter.q !== undefined || (filter.updated_since !== undefined && (ranges === undefined || filter.assignee !== undefined))) {
      found = collect();
      total = found.length;
    } else if (ranges !== undefined) total = sum(ranges);
    if (total === 0 || offset >= total) return { items: [], total };

    // Walking the order tests about (offset + limit) × walked / total tasks; sorting the matches costs total × log(total).
    const walkCost = (Math.min(offset + limit, total) * sum(sets)) / total;
    const sortCost = (found ? 0 : sum(candidates)) + total * Math.log2(total + 1);
    if (walkCost <= sortCost) return { items: take(inOrder(), matches, offset, limit), total };
    found ??= collect();
    return { items: found.sort(taskComparator(sort)).slice(offset, offset + limit), total };
  }
}

/** Up to `limit` matching tasks after the first `offset` matches, in the order given. */
function take(tasks: Cursor<Task>, matches: (task: Task) => boolean, offset: number, limit: number): Task[] {
  const items: Task[] = [];
  let skipped = 0;
  for (let task = tasks.item; task !== undefined && items.length < limit; tasks.advance(), task = tasks.item) {
    if (!matches(task)) continue;
    if (skipped < offset) skipped++;
    else items.push(task);
  }
  return items;
}
