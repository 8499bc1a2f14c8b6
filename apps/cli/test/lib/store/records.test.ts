// The local store's list queries (records.ts) against the server's list semantics
// (listTasks, listProjects, listSprints of the stateful mock): the same filters, the same
// order (ties by id; a task without a due date last in both directions; titles compared by
// locale), the same case-insensitive `q` (JavaScript's toLowerCase, non-ASCII included) and
// the same paging.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Sprint, Task, TaskFilters } from '@dtm/sdk';
import { LocalStore } from '../../../src/lib/store/store.js';
import { makeTask } from '../../fixtures.js';

function task(id: string, changes: Partial<Task>): Task {
  return makeTask(id, { title: id, ...changes });
}

const tasks: Task[] = [
  task('T-5', { status: 'completed', priority: 'low', due_date: '2026-02-01', title: 'Write Docs', updated_at: '2026-03-05T00:00:00Z' }),
  task('T-1', { status: 'pending', priority: 'critical', project_id: 'P-1', assignee: 'alice', description: 'The LOGIN form' }),
  task('T-3', { status: 'blocked', priority: 'high', due_date: '2026-01-15', sprint_id: 'S-1', updated_at: '2026-03-01T00:00:00Z', title: 'Äpfel kaufen' }),
  task('T-2', { status: 'in_progress', priority: 'critical', project_id: 'P-1', due_date: '2026-01-15', title: 'login page' }),
  task('T-4', { status: 'cancelled', priority: 'medium', assignee: 'alice', title: 'apfelmus', description: 'GRÜSSE aus Köln' }),
  task('T-6', { status: 'pending', priority: 'low', project_id: 'P-2', title: 'zebra', created_at: '2025-12-31T00:00:00Z' }),
];

let dir: string;
let store: LocalStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtm-records-'));
  store = LocalStore.open(dir, 'http://api.test:8000');
  store.upsert('tasks', tasks);
});
afterAll(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

const ids = (filters: TaskFilters): string[] => store.all('tasks', filters).map((found) => found.id);

describe('task queries: the server’s filters and order', () => {
  it.each<{ name: string; filters: TaskFilters; want: string[] }>([
    { name: 'no filter: by id', filters: {}, want: ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6'] },
    { name: 'an empty status list filters nothing', filters: { status: [] }, want: ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6'] },
    { name: 'status list', filters: { status: ['pending', 'blocked'] }, want: ['T-1', 'T-3', 'T-6'] },
    { name: 'priority list', filters: { priority: ['critical', 'low'] }, want: ['T-1', 'T-2', 'T-5', 'T-6'] },
    { name: 'project', filters: { project_id: 'P-1' }, want: ['T-1', 'T-2'] },
    { name: 'sprint', filters: { sprint_id: 'S-1' }, want: ['T-3'] },
    { name: 'assignee', filters: { assignee: 'alice' }, want: ['T-1', 'T-4'] },
    { name: 'q over title and description, any case', filters: { q: 'LoGiN' }, want: ['T-1', 'T-2'] },
    { name: 'q with non-ASCII, any case (Ä matches ä)', filters: { q: 'äPFEL' }, want: ['T-3'] },
    { name: 'q with non-ASCII in the description', filters: { q: 'köln' }, want: ['T-4'] },
    { name: 'q is a substring match, not a word match', filters: { q: 'pfel' }, want: ['T-3', 'T-4'] },
    { name: 'q with SQL wildcards is literal', filters: { q: '%' }, want: [] },
    { name: 'updated_since (inclusive)', filters: { updated_since: '2026-03-01T00:00:00Z' }, want: ['T-3', 'T-5'] },
    { name: 'updated_since with an offset', filters: { updated_since: '2026-03-01T01:00:00+01:00' }, want: ['T-3', 'T-5'] },
    { name: 'id', filters: { sort: 'id' }, want: ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6'] },
    { name: '-id', filters: { sort: '-id' }, want: ['T-6', 'T-5', 'T-4', 'T-3', 'T-2', 'T-1'] },
    { name: 'title: by locale (Ä beside a, not after z; case does not split), ties by id', filters: { sort: 'title' }, want: ['T-3', 'T-4', 'T-2', 'T-1', 'T-5', 'T-6'] },
    { name: '-title', filters: { sort: '-title' }, want: ['T-6', 'T-5', 'T-1', 'T-2', 'T-4', 'T-3'] },
    { name: 'priority: rank order, ties by id', filters: { sort: 'priority' }, want: ['T-5', 'T-6', 'T-4', 'T-3', 'T-1', 'T-2'] },
    { name: '-priority: ties still by id', filters: { sort: '-priority' }, want: ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6'] },
    { name: 'status: workflow order', filters: { sort: 'status' }, want: ['T-1', 'T-6', 'T-2', 'T-3', 'T-5', 'T-4'] },
    { name: '-status', filters: { sort: '-status' }, want: ['T-4', 'T-5', 'T-3', 'T-2', 'T-1', 'T-6'] },
    { name: 'due_date: nulls last', filters: { sort: 'due_date' }, want: ['T-2', 'T-3', 'T-5', 'T-1', 'T-4', 'T-6'] },
    { name: '-due_date: nulls still last', filters: { sort: '-due_date' }, want: ['T-5', 'T-2', 'T-3', 'T-1', 'T-4', 'T-6'] },
    { name: 'created_at, ties by id', filters: { sort: 'created_at' }, want: ['T-6', 'T-1', 'T-2', 'T-3', 'T-4', 'T-5'] },
    { name: '-updated_at', filters: { sort: '-updated_at' }, want: ['T-5', 'T-3', 'T-1', 'T-2', 'T-4', 'T-6'] },
    { name: 'filters and sort together', filters: { status: ['pending', 'in_progress'], sort: '-priority' }, want: ['T-1', 'T-2', 'T-6'] },
    { name: 'q and a title sort together', filters: { q: 'PFEL', sort: '-title' }, want: ['T-4', 'T-3'] },
  ])('$name', ({ filters, want }) => {
    expect(ids(filters)).toEqual(want);
  });

  it('pages like the server: the items of the window in order, the total of all matches', () => {
    const all = store.all('tasks', { sort: 'id' });
    expect(store.page('tasks', { sort: 'id' }, { limit: 2, offset: 1 })).toEqual({ items: [all[1], all[2]], total: 6, limit: 2, offset: 1 });
    expect(store.page('tasks', {}, { limit: 5, offset: 10 })).toEqual({ items: [], total: 6, limit: 5, offset: 10 });
    // A page of a sorted, filtered list: the window is taken after the order.
    expect(store.page('tasks', { sort: 'due_date' }, { limit: 2, offset: 2 }).items.map((found) => found.id)).toEqual(['T-5', 'T-1']);
    expect(store.page('tasks', { sort: 'title' }, { limit: 3, offset: 1 })).toMatchObject({ total: 6, items: [{ id: 'T-4' }, { id: 'T-2' }, { id: 'T-1' }] });
    expect(store.page('tasks', { priority: ['critical'] }, { limit: 1, offset: 0 })).toMatchObject({ total: 2, items: [{ id: 'T-1' }] });
  });

  it('answers the records as they were stored, whole', () => {
    expect(store.get('tasks', 'T-3')).toEqual(tasks[2]);
    expect(store.get('tasks', 'T-404')).toBeUndefined();
  });

  it('an upsert writes only changed rows: the same records again change nothing, a new version replaces the row', () => {
    const before = store.generation('tasks');
    store.upsert('tasks', tasks);
    expect(store.generation('tasks')).toBe(before);
    const changed = { ...(tasks[0] as Task), title: 'Write Docs again', version: 2 };
    store.upsert('tasks', [changed]);
    expect(store.generation('tasks')).toBe(before + 1);
    expect(store.get('tasks', 'T-5')).toEqual(changed);
    // The indexed columns follow the row: the old title no longer matches, the new one does.
    expect(ids({ q: 'again' })).toEqual(['T-5']);
    store.upsert('tasks', [tasks[0] as Task]);
  });
});

describe('project and sprint queries', () => {
  const project = (id: string, changes: Partial<Project>): Project => ({
    id,
    name: id,
    description: null,
    status: 'active',
    owner: 'demo',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
    ...changes,
  });
  const sprint = (id: string, changes: Partial<Sprint>): Sprint => ({
    id,
    name: id,
    project_id: 'P-1',
    goal: null,
    status: 'planned',
    start_date: '2026-01-01',
    end_date: '2026-01-14',
    started_at: null,
    completed_at: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
    ...changes,
  });

  it.each<{ name: string; filters: { status?: 'active' | 'archived'; q?: string }; want: string[] }>([
    { name: 'no filter: by id', filters: {}, want: ['P-1', 'P-2', 'P-3', 'P-4'] },
    { name: 'q over name and description, any case', filters: { q: 'mobile' }, want: ['P-1', 'P-3'] },
    { name: 'q with non-ASCII', filters: { q: 'ÜBER' }, want: ['P-4'] },
    { name: 'q and status', filters: { q: 'mobile', status: 'active' }, want: ['P-3'] },
    { name: 'status', filters: { status: 'archived' }, want: ['P-1'] },
  ])('projects, $name', ({ filters, want }) => {
    const local = LocalStore.open(join(dir, 'projects'), 'http://api.test:8000');
    try {
      local.upsert('projects', [
        project('P-3', { name: 'Mobile app' }),
        project('P-1', { description: 'the MOBILE site', status: 'archived' }),
        project('P-2', { name: 'Web' }),
        project('P-4', { name: 'Über uns' }),
      ]);
      expect(local.all('projects', filters).map((found) => found.id)).toEqual(want);
      expect(local.page('projects', filters, { limit: 1, offset: 0 })).toMatchObject({ total: want.length, items: want.slice(0, 1).map((id) => ({ id })) });
    } finally {
      local.close();
    }
  });

  it.each<{ name: string; filters: { status?: 'planned' | 'active' | 'completed'; project_id?: string }; want: string[] }>([
    { name: 'latest start first, ties by id', filters: {}, want: ['S-2', 'S-3', 'S-1'] },
    { name: 'project', filters: { project_id: 'P-1' }, want: ['S-2', 'S-1'] },
    { name: 'status', filters: { status: 'active' }, want: ['S-2'] },
  ])('sprints, $name', ({ filters, want }) => {
    const local = LocalStore.open(join(dir, 'sprints'), 'http://api.test:8000');
    try {
      local.upsert('sprints', [
        sprint('S-1', { start_date: '2026-01-01', status: 'completed' }),
        sprint('S-3', { start_date: '2026-02-01', project_id: 'P-2' }),
        sprint('S-2', { start_date: '2026-02-01', status: 'active' }),
      ]);
      expect(local.all('sprints', filters).map((found) => found.id)).toEqual(want);
      expect(local.page('sprints', filters, { limit: 1, offset: 1 })).toMatchObject({ total: want.length, items: want.slice(1, 2).map((id) => ({ id })) });
    } finally {
      local.close();
    }
  });
});
