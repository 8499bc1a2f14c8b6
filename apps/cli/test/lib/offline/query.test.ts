import { describe, expect, it } from 'vitest';
import type { Project, Sprint, Task, TaskFilters } from '@dtm/sdk';
import { matchProjects, matchSprints, matchTasks, pageOf } from '../../../src/lib/offline/query.js';
import { makeTask } from '../../fixtures.js';

function task(id: string, changes: Partial<Task>): Task {
  return makeTask(id, { title: id, ...changes });
}

const tasks: Task[] = [
  task('T-5', { status: 'completed', priority: 'low', due_date: '2026-02-01', title: 'Write Docs', updated_at: '2026-03-05T00:00:00Z' }),
  task('T-1', { status: 'pending', priority: 'critical', project_id: 'P-1', assignee: 'alice', description: 'The LOGIN form' }),
  task('T-3', { status: 'blocked', priority: 'high', due_date: '2026-01-15', sprint_id: 'S-1', updated_at: '2026-03-01T00:00:00Z' }),
  task('T-2', { status: 'in_progress', priority: 'critical', project_id: 'P-1', due_date: '2026-01-15', title: 'login page' }),
  task('T-4', { status: 'cancelled', priority: 'medium', assignee: 'alice' }),
  task('T-6', { status: 'pending', priority: 'low', project_id: 'P-2' }),
];

const ids = (filters: TaskFilters): string[] => matchTasks(tasks, filters).map((found) => found.id);

describe('matchTasks: the server’s filters and order', () => {
  it.each<{ name: string; filters: TaskFilters; want: string[] }>([
    { name: 'no filter: by id', filters: {}, want: ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6'] },
    { name: 'status list', filters: { status: ['pending', 'blocked'] }, want: ['T-1', 'T-3', 'T-6'] },
    { name: 'priority list', filters: { priority: ['critical', 'low'] }, want: ['T-1', 'T-2', 'T-5', 'T-6'] },
    { name: 'project', filters: { project_id: 'P-1' }, want: ['T-1', 'T-2'] },
    { name: 'sprint', filters: { sprint_id: 'S-1' }, want: ['T-3'] },
    { name: 'assignee', filters: { assignee: 'alice' }, want: ['T-1', 'T-4'] },
    { name: 'q over title and description, any case', filters: { q: 'LoGiN' }, want: ['T-1', 'T-2'] },
    { name: 'updated_since (inclusive)', filters: { updated_since: '2026-03-01T00:00:00Z' }, want: ['T-3', 'T-5'] },
    { name: '-id', filters: { sort: '-id' }, want: ['T-6', 'T-5', 'T-4', 'T-3', 'T-2', 'T-1'] },
    { name: 'priority: rank order, ties by id', filters: { sort: 'priority' }, want: ['T-5', 'T-6', 'T-4', 'T-3', 'T-1', 'T-2'] },
    { name: '-priority: ties still by id', filters: { sort: '-priority' }, want: ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6'] },
    { name: 'status: workflow order', filters: { sort: 'status' }, want: ['T-1', 'T-6', 'T-2', 'T-3', 'T-5', 'T-4'] },
    { name: '-status', filters: { sort: '-status' }, want: ['T-4', 'T-5', 'T-3', 'T-2', 'T-1', 'T-6'] },
    { name: 'due_date: nulls last', filters: { sort: 'due_date' }, want: ['T-2', 'T-3', 'T-5', 'T-1', 'T-4', 'T-6'] },
    { name: '-due_date: nulls still last', filters: { sort: '-due_date' }, want: ['T-5', 'T-2', 'T-3', 'T-1', 'T-4', 'T-6'] },
    { name: '-updated_at', filters: { sort: '-updated_at' }, want: ['T-5', 'T-3', 'T-1', 'T-2', 'T-4', 'T-6'] },
    { name: 'filters and sort together', filters: { status: ['pending', 'in_progress'], sort: '-priority' }, want: ['T-1', 'T-2', 'T-6'] },
  ])('$name', ({ filters, want }) => {
    expect(ids(filters)).toEqual(want);
  });

  it('pages like the server: items of the window, total of all matches', () => {
    const all = matchTasks(tasks, { sort: 'id' });
    expect(pageOf(all, { limit: 2, offset: 1 })).toEqual({ items: [all[1], all[2]], total: 6, limit: 2, offset: 1 });
    expect(pageOf(all, { limit: 5, offset: 10 })).toEqual({ items: [], total: 6, limit: 5, offset: 10 });
  });
});

describe('matchProjects and matchSprints', () => {
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

  it('projects: status and q over name and description, by id', () => {
    const projects = [
      project('P-3', { name: 'Mobile app' }),
      project('P-1', { description: 'the MOBILE site', status: 'archived' }),
      project('P-2', { name: 'Web' }),
    ];
    expect(matchProjects(projects, {}).map((found) => found.id)).toEqual(['P-1', 'P-2', 'P-3']);
    expect(matchProjects(projects, { q: 'mobile' }).map((found) => found.id)).toEqual(['P-1', 'P-3']);
    expect(matchProjects(projects, { q: 'mobile', status: 'active' }).map((found) => found.id)).toEqual(['P-3']);
  });

  it('sprints: status and project, latest start first, ties by id', () => {
    const sprints = [
      sprint('S-1', { start_date: '2026-01-01', status: 'completed' }),
      sprint('S-3', { start_date: '2026-02-01', project_id: 'P-2' }),
      sprint('S-2', { start_date: '2026-02-01', status: 'active' }),
    ];
    expect(matchSprints(sprints, {}).map((found) => found.id)).toEqual(['S-2', 'S-3', 'S-1']);
    expect(matchSprints(sprints, { project_id: 'P-1' }).map((found) => found.id)).toEqual(['S-2', 'S-1']);
    expect(matchSprints(sprints, { status: 'active' }).map((found) => found.id)).toEqual(['S-2']);
  });
});
