// The indexed listTasks against the plain scan it replaced (kept here as the reference):
// random stores, random writes through every write path, random filters, sorts and windows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seed } from '../../src/engines/stateful/seed.js';
import { Store, type TaskFilter } from '../../src/engines/stateful/store.js';
import type { Task, TaskPriority, TaskSort, TaskStatus } from '../../src/engines/stateful/types.js';

// ---- the reference: the store's list before the indexes, verbatim ----------------------

const priorityRank: Record<TaskPriority, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const statusRank: Record<TaskStatus, number> = { pending: 0, in_progress: 1, blocked: 2, completed: 3, cancelled: 4 };

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function taskComparator(sort: TaskSort): (a: Task, b: Task) => number {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as 'id' | 'title' | 'status' | 'priority' | 'due_date' | 'created_at' | 'updated_at';
  const sign = descending ? -1 : 1;
  const byKey = (a: Task, b: Task): number => {
    switch (key) {
      case 'priority':
        return sign * (priorityRank[a.priority] - priorityRank[b.priority]);
      case 'status':
        return sign * (statusRank[a.status] - statusRank[b.status]);
      case 'due_date': {
        if (a.due_date === null || b.due_date === null) return compareNullable(a.due_date, b.due_date);
        return sign * compareNullable(a.due_date, b.due_date);
      }
      case 'title':
        return sign * a.title.localeCompare(b.title);
      default:
        return sign * compareNullable(a[key], b[key]);
    }
  };
  return (a, b) => byKey(a, b) || compareNullable(a.id, b.id);
}

function taskMatcher(filter: TaskFilter): (task: Task) => boolean {
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

/** The scan: `tasks` in the store's own order (id order), filtered, then sorted. */
function referenceList(tasks: Task[], filter: TaskFilter, offset: number, limit: number): { ids: string[]; total: number } {
  const matches = taskMatcher(filter);
  const found = tasks.filter(matches);
  if (filter.sort !== undefined && filter.sort !== 'id') found.sort(taskComparator(filter.sort));
  return { ids: found.slice(offset, offset + limit).map((task) => task.id), total: found.length };
}

// ---- random stores ---------------------------------------------------------------------

const statuses: TaskStatus[] = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'];
const priorities: TaskPriority[] = ['low', 'medium', 'high', 'critical'];
const sorts: TaskSort[] = ['id', '-id', 'title', '-title', 'status', '-status', 'priority', '-priority', 'due_date', '-due_date', 'created_at', '-created_at', 'updated_at', '-updated_at'];
// Titles that tie, differ in case and accents, and two that collate alike but are not the same string.
const titles = ['alpha', 'Alpha', 'beta', 'Beta task', 'zeta', 'élan', 'elan', 'e\u0301lan', 'Release notes', 'release'];
const people = ['alice', 'bob', 'null', null];
const projects = ['PRJ-001', 'PRJ-002', null];
const dates = ['2026-03-01', '2026-03-02', '2026-04-01', null];

const write = fc.oneof(
  fc.record({
    op: fc.constant('create' as const),
    title: fc.constantFrom(...titles),
    description: fc.constantFrom('has release notes', null),
    status: fc.constantFrom(...statuses),
    priority: fc.constantFrom(...priorities),
    project: fc.constantFrom(...projects),
    assignee: fc.constantFrom(...people),
    due: fc.constantFrom(...dates),
  }),
  fc.record({
    op: fc.constant('update' as const),
    pick: fc.nat(),
    title: fc.option(fc.constantFrom(...titles)),
    status: fc.option(fc.constantFrom(...statuses)),
    priority: fc.option(fc.constantFrom(...priorities)),
    assignee: fc.option(fc.constantFrom(...people)),
    due: fc.option(fc.constantFrom(...dates)),
  }),
  fc.record({ op: fc.constantFrom('complete' as const, 'delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constantFrom('assign' as const, 'unassign' as const, 'deleteSprint' as const), pick: fc.nat(), sprint: fc.constantFrom('SPR-001', 'SPR-002', 'SPR-003') }),
  fc.record({ op: fc.constant('reload' as const), oddTime: fc.boolean() }),
);
type Write = typeof write extends fc.Arbitrary<infer W> ? W : never;

const query = fc.record(
  {
    status: fc.subarray(statuses),
    priority: fc.subarray(priorities),
    project_id: fc.constantFrom('PRJ-001', 'PRJ-002'),
    sprint_id: fc.constantFrom('SPR-001', 'SPR-002', 'SPR-003'),
    assignee: fc.constantFrom('alice', 'bob', 'null'),
    q: fc.constantFrom('release', 'ALPHA', 'an', 'x'),
    updated_since: fc.constantFrom('2026-03-01T00:00:00Z', '2026-03-01T00:00:05.000Z', '2026-03-01T00:00:30+00:00', '2030-01-01T00:00:00Z'),
    sort: fc.constantFrom(...sorts),
  },
  { requiredKeys: [] },
);
const window = fc.record({ offset: fc.oneof(fc.constant(0), fc.nat(60)), limit: fc.integer({ min: 1, max: 40 }) });

/** A store with two projects and three sprints, on a clock that ticks 0-3 s per write (so times tie). */
function emptyStore(ticks: () => number): Store {
  let at = Date.parse('2026-03-01T00:00:00.000Z');
  const store = new Store(() => new Date((at += ticks() * 1000)));
  store.createProject({ name: 'One' });
  store.createProject({ name: 'Two' });
  store.createSprint({ name: 'S1', project_id: 'PRJ-001', start_date: '2026-03-01', end_date: '2026-03-14' });
  store.createSprint({ name: 'S2', project_id: 'PRJ-001', start_date: '2026-03-15', end_date: '2026-03-28' });
  store.createSprint({ name: 'S3', project_id: 'PRJ-002', start_date: '2026-03-01', end_date: '2026-03-14' });
  return store;
}

function apply(store: Store, change: Write): void {
  const ids = store.matchingTasks({}).map((task) => task.id);
  const target = 'pick' in change ? ids[change.pick % Math.max(ids.length, 1)] : undefined;
  try {
    switch (change.op) {
      case 'create':
        store.createTask(
          {
            title: change.title,
            description: change.description,
            status: change.status,
            priority: change.priority,
            project_id: change.project,
            assignee: change.assignee,
            due_date: change.due,
          },
          'demo',
        );
        return;
      case 'update': {
        if (target === undefined) return;
        const patch = Object.fromEntries(
          Object.entries({ title: change.title, status: change.status, priority: change.priority, assignee: change.assignee, due_date: change.due }).filter(
            ([field, value]) => value !== null || field === 'assignee' || field === 'due_date',
          ),
        );
        store.updateTask(target, patch, 'demo');
        return;
      }
      case 'complete':
        if (target !== undefined) store.completeTask(target, undefined, 'demo');
        return;
      case 'delete':
        if (target !== undefined) store.deleteTask(target, 'demo');
        return;
      case 'assign':
        if (target !== undefined) store.assignToSprint(change.sprint, [target], 'demo');
        return;
      case 'unassign':
        if (target !== undefined) store.unassignFromSprint(change.sprint, target, 'demo');
        return;
      case 'deleteSprint':
        store.deleteSprint(change.sprint, 'demo');
        return;
      case 'reload': {
        // Through a data file's content, once with a time in another (valid) form than the store writes.
        const snapshot = store.snapshot();
        const [first, ...rest] = snapshot.tasks;
        const tasks = change.oddTime && first ? [{ ...first, updated_at: first.updated_at.replace('.000Z', '+00:00') }, ...rest] : snapshot.tasks;
        store.load(JSON.parse(JSON.stringify({ ...snapshot, tasks })) as typeof snapshot);
        return;
      }
    }
  } catch (error) {
    // A write the store refuses (a missing sprint, another project's sprint) changes nothing.
    if (!(error instanceof Error) || !('status' in error)) throw error;
  }
}

function expectSameAsScan(store: Store, filter: TaskFilter, offset: number, limit: number): void {
  const page = store.listTasks(filter, { offset, limit });
  const want = referenceList(store.snapshot().tasks, filter, offset, limit);
  expect({ ids: page.items.map((task) => task.id), total: page.total }, JSON.stringify({ filter, offset, limit })).toEqual(want);
}

/** The store's cached JSON texts are those of the tasks as they are now: no write changed a task in place. */
function expectCurrentTexts(store: Store): void {
  for (const task of store.matchingTasks({})) expect(store.taskText(task).toString()).toBe(JSON.stringify(task));
}

describe('the indexed task list', () => {
  it('answers every filter, sort and window exactly as a scan of the store does, after any writes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(3), { minLength: 1, maxLength: 8 }),
        fc.array(write, { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(query, window), { minLength: 1, maxLength: 8 }),
        (tickList, writes, queries) => {
          let tick = 0;
          const store = emptyStore(() => tickList[tick++ % tickList.length] as number);
          for (const change of writes) {
            apply(store, change);
            expectCurrentTexts(store);
          }
          for (const [filter, { offset, limit }] of queries) expectSameAsScan(store, filter, offset, limit);
          expect(store.matchingTasks(queries[0]?.[0] ?? {}).length).toBe(store.listTasks(queries[0]?.[0] ?? {}, { offset: 0, limit: 1 }).total);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('indexes the seed, built in one pass, like tasks added one by one', () => {
    const store = new Store(() => new Date('2026-03-02T09:00:00.000Z'));
    seed(store, { tasks: 2000, seed: 7, now: new Date('2026-03-02T09:00:00.000Z') });
    fc.assert(
      fc.property(query, window, fc.array(write, { maxLength: 5 }), (filter, { offset, limit }, writes) => {
        for (const change of writes) apply(store, change);
        expectSameAsScan(store, filter, offset, limit);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps tasks whose titles collate alike (but differ) in id order when built from a data file', () => {
    const store = emptyStore(() => 1);
    for (const title of ['e\u0301lan', '\u00e9lan', 'e\u0301lan', 'alpha']) store.createTask({ title }, 'demo');
    store.load(store.snapshot());
    for (const sort of ['title', '-title'] as const) expectSameAsScan(store, { sort }, 0, 10);
  });
});

describe('the cost of a list page', () => {
  /** A store of `count` tasks loaded from a data file whose tasks record which of them are read. */
  function watchedStore(count: number): { store: Store; touched: Set<string> } {
    const source = new Store(() => new Date('2026-03-02T09:00:00.000Z'));
    seed(source, { tasks: count, seed: 3, now: new Date('2026-03-02T09:00:00.000Z') });
    const touched = new Set<string>();
    const snapshot = source.snapshot();
    const watched = snapshot.tasks.map(
      (task) =>
        new Proxy(task, {
          get(target, field, receiver) {
            if (field !== 'id') touched.add(target.id);
            return Reflect.get(target, field, receiver) as unknown;
          },
        }),
    );
    const store = new Store(() => new Date('2026-03-02T09:00:00.000Z'));
    store.load({ ...snapshot, tasks: watched });
    return { store, touched };
  }
  const stores = new Map<number, ReturnType<typeof watchedStore>>();
  const watched = (count: number): ReturnType<typeof watchedStore> => {
    const known = stores.get(count) ?? watchedStore(count);
    stores.set(count, known);
    return known;
  };

  it.each<[string, TaskFilter]>([
    ['a filtered, sorted page', { status: ['pending'], sort: '-updated_at' }],
    ['a page filtered on two fields', { status: ['in_progress', 'blocked'], project_id: 'PRJ-002', sort: 'title' }],
    ['a sprint page by due date', { sprint_id: 'SPR-002', sort: 'due_date' }],
    ['an unfiltered page', { sort: '-created_at' }],
    ['the latest changes', { updated_since: '2026-02-25T00:00:00Z', sort: '-updated_at' }],
  ])('%s looks at about as many tasks in a store ten times as large', (_, filter) => {
    const touchedAt = (count: number): number => {
      const { store, touched } = watched(count);
      touched.clear();
      const page = store.listTasks(filter, { offset: 20, limit: 50 });
      expect(page.items.length).toBe(50);
      return touched.size;
    };
    const small = touchedAt(4_000);
    const large = touchedAt(40_000);
    // A scan reads every task: ten times as many. The indexes read the page and a few per group.
    expect(large).toBeLessThanOrEqual(2 * small + 200);
  });
});
