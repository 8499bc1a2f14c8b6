import type { Store } from './store.js';
import { taskPriorities } from './store.js';
import type { TaskStatus } from './types.js';
import { seededRandom } from '../../random.js';

const verbs = ['Fix', 'Add', 'Update', 'Refactor', 'Document', 'Test', 'Review', 'Design', 'Migrate', 'Remove'];
const things = [
  'login form',
  'sprint report',
  'CSV export',
  'search index',
  'billing page',
  'push notifications',
  'API rate limits',
  'onboarding flow',
  'dark mode',
  'audit log',
  'backup job',
  'dashboard charts',
];
const tagPool = ['frontend', 'backend', 'bug', 'feature', 'docs', 'ops', 'ux', 'security'];
const people = ['demo', 'alice', 'bob', 'carol', null] as const;
const day = 86_400_000;

export interface SeedOptions {
  /** How many tasks to create (default 300). */
  tasks: number;
  /** Seed of the random choices; the same seed and clock give the same data. */
  seed: number;
  now: Date;
}

/**
 * Demo data: four projects (one archived), a completed, an active and a planned sprint in
 * each active project, and `tasks` tasks across all statuses, priorities and people.
 * Tasks of past and current sprints are completed on days inside the sprint, so a
 * burndown looks like one.
 */
/** The same text as the same string: a large seed repeats a few titles, dates and times a million times. */
function interned<K>(make: (key: K) => string): (key: K) => string {
  const known = new Map<K, string>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = make(key);
      known.set(key, value);
    }
    return value;
  };
}

export function seed(store: Store, options: SeedOptions): void {
  store.batch(() => {
    seedInto(store, options);
  });
}

function seedInto(store: Store, options: SeedOptions): void {
  const pick = seededRandom(options.seed);
  const choose = <T>(list: readonly T[]): T => list[Math.floor(pick() * list.length)] as T;
  const now = options.now.getTime();
  const iso = (ms: number): string => new Date(ms).toISOString();
  const date = interned((offsetDays: number) => iso(now + offsetDays * day).slice(0, 10));
  const createdAt = interned((ms: number) => iso(ms));
  const title = interned((text: string) => text);
  const description = interned((thing: string) => `Details about the ${thing}, with notes from the last review.`);
  const tags = new Map(tagPool.map((tag) => [tag, Object.freeze([tag]) as unknown as string[]]));
  const longAgo = iso(now - 90 * day);

  const projects = [
    store.createProject({ name: 'Website relaunch', description: 'New marketing site and docs portal', owner: 'demo' }, longAgo),
    store.createProject({ name: 'Mobile app', description: 'iOS and Android clients', owner: 'alice' }, longAgo),
    store.createProject({ name: 'Data platform', description: 'Warehouse, pipelines and reports', owner: 'bob' }, longAgo),
  ];
  store.createProject({ name: 'Legacy intranet', description: 'Kept for reference', status: 'archived', owner: null }, longAgo);

  const sprintsOf = projects.map((project) => {
    const past = store.createSprint(
      { name: `${project.name} sprint 1`, project_id: project.id, goal: 'Ship the basics', start_date: date(-28), end_date: date(-15) },
      longAgo,
    );
    store.startSprint(past.id);
    store.completeSprint(past.id);
    const current = store.createSprint(
      { name: `${project.name} sprint 2`, project_id: project.id, goal: 'Polish and harden', start_date: date(-7), end_date: date(6) },
      longAgo,
    );
    store.startSprint(current.id);
    const next = store.createSprint(
      { name: `${project.name} sprint 3`, project_id: project.id, goal: null, start_date: date(7), end_date: date(20) },
      longAgo,
    );
    return { past: past.id, current: current.id, next: next.id, pastStart: -28, currentStart: -7 };
  });

  for (let index = 0; index < options.tasks; index++) {
    const project = index % 10 === 9 ? undefined : index % projects.length;
    const sprints = project === undefined ? undefined : sprintsOf[project];
    const roll = pick();
    // Where the task is: a past sprint (mostly done), the current one (half done), the next one, or the backlog.
    const place = sprints === undefined ? 'backlog' : roll < 0.25 ? 'past' : roll < 0.55 ? 'current' : roll < 0.7 ? 'next' : 'backlog';
    let status: TaskStatus;
    if (place === 'past') status = pick() < 0.9 ? 'completed' : 'cancelled';
    else if (place === 'current') status = choose<TaskStatus>(['completed', 'completed', 'in_progress', 'blocked', 'pending']);
    else if (place === 'next') status = 'pending';
    else status = choose<TaskStatus>(['pending', 'pending', 'in_progress', 'blocked', 'completed', 'cancelled']);

    const sprintId = sprints && place !== 'backlog' ? sprints[place] : null;
    const startDay = place === 'past' ? -28 : place === 'current' ? -7 : -60;
    const created = now + (startDay - 3 - Math.floor(pick() * 10)) * day;
    const thing = choose(things);
    const task = store.createTask(
      {
        title: title(`${choose(verbs)} ${thing}`),
        description: index % 3 === 0 ? description(thing) : null,
        status: status === 'completed' ? 'in_progress' : status,
        priority: choose(taskPriorities),
        project_id: project === undefined ? null : (projects[project]?.id ?? null),
        sprint_id: sprintId,
        assignee: choose(people),
        tags: pick() < 0.6 ? tags.get(choose(tagPool)) : undefined,
        due_date: pick() < 0.5 ? date(Math.floor(pick() * 40) - 10) : null,
        estimate_hours: pick() < 0.7 ? Math.ceil(pick() * 16) : null,
      },
      'demo',
      createdAt(created),
    );
    if (status === 'completed') {
      // Done on a day inside its sprint (or the last few weeks for backlog work), never in the future.
      const span = place === 'past' ? 14 : place === 'current' ? 8 : 20;
      const doneAt = Math.min(now - 60_000, now + (startDay + Math.floor(pick() * span)) * day + Math.floor(pick() * day));
      store.completeTask(task.id, pick() < 0.3 ? 'Done and verified.' : undefined, 'demo', undefined, iso(Math.max(doneAt, created + 1)));
    }
  }
}
