import type { Task, TaskPriority, TaskSort, TaskStatus } from './types.js';

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

// Each field read by name, not `task[key]`: a merge compares hundreds of pairs per page, and a
// read by a variable key was most of that cost.
const ascending: Record<SortKey, Compare> = {
  id: byId,
  title: (a, b) => a.title.localeCompare(b.title),
  status: (a, b) => statusRank[a.status] - statusRank[b.status],
  priority: (a, b) => priorityRank[a.priority] - priorityRank[b.priority],
  due_date: (a, b) => compareNullable(a.due_date, b.due_date),
  created_at: (a, b) => compareNullable(a.created_at, b.created_at),
  updated_at: (a, b) => compareNullable(a.updated_at, b.updated_at),
};

/** The order of the sort's field alone (ties compare equal). */
function keyComparator(sort: TaskSort): Compare {
  if (!sort.startsWith('-')) return ascending[sort as SortKey];
  const forward = ascending[sort.slice(1) as SortKey];
  // Nulls go last whichever the direction; only due_date has them.
  if (sort === '-due_date') return (a, b) => (a.due_date === null || b.due_date === null ? forward(a, b) : forward(b, a));
  return (a, b) => forward(b, a);
}

/** The contract's order for a sort: by the field, nulls last, ties by id. */
export function taskComparator(sort: TaskSort): Compare {
  const byKey = keyComparator(sort);
  return (a, b) => byKey(a, b) || byId(a, b);
}

/** Sorts tasks by id, leaving them alone when they already are (as the store keeps them). */
export function sortedById(tasks: Task[]): Task[] {
  for (let index = 1; index < tasks.length; index++) {
    if (byId(tasks[index - 1] as Task, tasks[index] as Task) > 0) return tasks.sort(byId);
  }
  return tasks;
}

/** Sort orders of the tasks (given in id order), as positions into `tasksById`. */
export type SortPositions = Map<TaskSort, Int32Array>;

/**
 * Every order of the tasks without comparing every pair: each distinct value of a field gets
 * a rank, only one task per distinct value is sorted, and a counting sort by rank (stable, so
 * ties stay in id order) places the rest. That is the comparator's order as long as distinct
 * values never compare equal (titles that collate alike could); then those orders sort all.
 */
export function sortPositions(tasksById: readonly Task[], sorts: readonly TaskSort[]): SortPositions {
  const count = tasksById.length;
  const positions: SortPositions = new Map();
  if (sorts.includes('id')) positions.set('id', Int32Array.from({ length: count }, (_, index) => index));
  for (const key of ['title', 'status', 'priority', 'due_date', 'created_at', 'updated_at'] as const) {
    if (!sorts.includes(key) && !sorts.includes(`-${key}`)) continue;
    const rankOf = new Int32Array(count);
    const ranks = new Map<string | null, number>();
    const samples: Task[] = [];
    for (let index = 0; index < count; index++) {
      const task = tasksById[index] as Task;
      let rank = ranks.get(task[key]);
      if (rank === undefined) {
        rank = samples.length;
        ranks.set(task[key], rank);
        samples.push(task);
      }
      rankOf[index] = rank;
    }
    for (const sort of [key, `-${key}`] as const) {
      if (sorts.includes(sort)) positions.set(sort, countingSort(sort, tasksById, rankOf, samples, ranks));
    }
  }
  return positions;
}

/**
 * The ranks of the distinct values of a time or date field in the sort's order. Their text
 * order is `<`, which the built-in sort applies without calling back into JavaScript: several
 * times faster for the ~N distinct updated_at values of a large store. Nulls go last (due_date
 * puts them last both ways); undefined when a time is null, whose place flips with the direction.
 */
function textRankOrder(sort: TaskSort, ranks: ReadonlyMap<string | null, number>): number[] | undefined {
  const key = sort.startsWith('-') ? sort.slice(1) : sort;
  if (key !== 'due_date' && key !== 'created_at' && key !== 'updated_at') return undefined;
  if (key !== 'due_date' && ranks.has(null)) return undefined;
  const values = [...ranks.keys()].filter((value): value is string => value !== null).sort();
  if (sort.startsWith('-')) values.reverse();
  const order = values.map((value) => ranks.get(value) as number);
  const nulls = ranks.get(null);
  if (nulls !== undefined) order.push(nulls);
  return order;
}

function countingSort(
  sort: TaskSort,
  tasksById: readonly Task[],
  rankOf: Int32Array,
  samples: readonly Task[],
  ranks: ReadonlyMap<string | null, number>,
): Int32Array {
  let order = textRankOrder(sort, ranks);
  if (order === undefined) {
    const byKey = keyComparator(sort);
    order = samples.map((_, rank) => rank).sort((a, b) => byKey(samples[a] as Task, samples[b] as Task));
    for (let index = 1; index < order.length; index++) {
      if (byKey(samples[order[index - 1] as number] as Task, samples[order[index] as number] as Task) === 0) {
        const compare = taskComparator(sort);
        return Int32Array.from(tasksById.map((_, position) => position).sort((a, b) => compare(tasksById[a] as Task, tasksById[b] as Task)));
      }
    }
  }
  // starts[slot]: where the tasks of the slot-th value in sort order go next.
  const slotOf = new Int32Array(samples.length);
  order.forEach((rank, slot) => {
    slotOf[rank] = slot;
  });
  const starts = new Int32Array(samples.length + 1);
  for (const rank of rankOf) {
    const next = (slotOf[rank] as number) + 1;
    starts[next] = (starts[next] as number) + 1;
  }
  for (let slot = 1; slot <= samples.length; slot++) starts[slot] = (starts[slot] as number) + (starts[slot - 1] as number);
  const sorted = new Int32Array(rankOf.length);
  rankOf.forEach((rank, position) => {
    const slot = slotOf[rank] as number;
    const at = starts[slot] as number;
    sorted[at] = position;
    starts[slot] = at + 1;
  });
  return sorted;
}
