// What each queued change does to the store at once (applyChange, for every kind and action),
// how temporary ids look and are resolved, and when a resent change already shows on the
// server (alreadyApplied: no conflict after a lost answer).
import { describe, expect, it } from 'vitest';
import type { Project, Sprint, Task } from '@dtm/sdk';
import {
  type Change,
  applyChange,
  baseVersion,
  describeChange,
  isTemporaryId,
  moveTask,
  referencesOf,
  resolveReferences,
  tasksMovedBy,
  temporaryId,
} from '../../../src/lib/store/changes.js';
import { alreadyApplied } from '../../../src/lib/store/push.js';
import { makeTask } from '../../fixtures.js';

const now = '2026-11-27T10:00:00.000Z';
const task: Task = makeTask('TASK-000001', {
  title: 'Write docs',
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  version: 4,
});
const project: Project = {
  id: 'PRJ-001',
  name: 'Web',
  description: 'The site',
  status: 'active',
  owner: 'demo',
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  version: 2,
};
const sprint: Sprint = {
  id: 'SPR-001',
  name: 'One',
  project_id: 'PRJ-001',
  goal: null,
  status: 'planned',
  start_date: '2026-12-01',
  end_date: '2026-12-14',
  started_at: null,
  completed_at: null,
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  version: 3,
};

describe('applyChange: tasks', () => {
  it('create: the server’s defaults and version 1', () => {
    expect(applyChange(undefined, { kind: 'tasks', action: 'create', target: 'TASK-Labcdef01', body: { title: 'New', tags: ['x'] } }, now)).toEqual({
      ...task,
      id: 'TASK-Labcdef01',
      title: 'New',
      tags: ['x'],
      created_at: now,
      updated_at: now,
      version: 1,
    });
    const done = applyChange(undefined, { kind: 'tasks', action: 'create', target: 'TASK-Labcdef02', body: { title: 'Done', status: 'completed', project_id: 'PRJ-Labcdef03' } }, now);
    expect(done).toMatchObject({ status: 'completed', completed_at: now, project_id: 'PRJ-Labcdef03' });
  });

  it('update and complete bump the version as the server will', () => {
    expect(applyChange(task, { kind: 'tasks', action: 'update', target: task.id, body: { priority: 'high', assignee: null } }, now)).toMatchObject({
      priority: 'high',
      assignee: null,
      version: 5,
      updated_at: now,
      completed_at: null,
    });
    expect(applyChange(task, { kind: 'tasks', action: 'update', target: task.id, body: { status: 'completed' } }, now)).toMatchObject({ status: 'completed', completed_at: now });
    expect(applyChange(task, { kind: 'tasks', action: 'complete', target: task.id, body: { completion_notes: 'ok' } }, now)).toMatchObject({
      status: 'completed',
      completed_at: now,
      completion_notes: 'ok',
      version: 5,
    });
  });

  it('delete gives nothing, and so does a change of an unknown task', () => {
    expect(applyChange(task, { kind: 'tasks', action: 'delete', target: task.id }, now)).toBeNull();
    expect(applyChange(undefined, { kind: 'tasks', action: 'update', target: task.id, body: { title: 'x' } }, now)).toBeNull();
    expect(applyChange(undefined, { kind: 'tasks', action: 'complete', target: task.id, body: {} }, now)).toBeNull();
  });
});

describe('applyChange: projects', () => {
  it('create with the defaults, update, delete', () => {
    expect(applyChange(undefined, { kind: 'projects', action: 'create', target: 'PRJ-L0000abcd', body: { name: 'Offline' } }, now)).toEqual({
      id: 'PRJ-L0000abcd',
      name: 'Offline',
      description: null,
      status: 'active',
      owner: null,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    expect(applyChange(project, { kind: 'projects', action: 'update', target: project.id, body: { status: 'archived', description: null } }, now)).toEqual({
      ...project,
      status: 'archived',
      description: null,
      updated_at: now,
      version: 3,
    });
    expect(applyChange(project, { kind: 'projects', action: 'delete', target: project.id }, now)).toBeNull();
    expect(applyChange(undefined, { kind: 'projects', action: 'update', target: project.id, body: { name: 'x' } }, now)).toBeNull();
  });
});

describe('applyChange: sprints', () => {
  it('create: planned, version 1', () => {
    const created = applyChange(
      undefined,
      { kind: 'sprints', action: 'create', target: 'SPR-L0000abcd', body: { name: 'S', project_id: 'PRJ-L0000abcd', start_date: '2026-12-01', end_date: '2026-12-14', goal: 'Ship' } },
      now,
    );
    expect(created).toEqual({
      id: 'SPR-L0000abcd',
      name: 'S',
      project_id: 'PRJ-L0000abcd',
      goal: 'Ship',
      status: 'planned',
      start_date: '2026-12-01',
      end_date: '2026-12-14',
      started_at: null,
      completed_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
    });
  });

  it.each<{ name: string; change: Change; want: Partial<Sprint> | null }>([
    { name: 'update', change: { kind: 'sprints', action: 'update', target: 'SPR-001', body: { goal: 'More' } }, want: { goal: 'More', version: 4, updated_at: now } },
    { name: 'start', change: { kind: 'sprints', action: 'start', target: 'SPR-001' }, want: { status: 'active', started_at: now, version: 4 } },
    { name: 'complete', change: { kind: 'sprints', action: 'complete', target: 'SPR-001' }, want: { status: 'completed', completed_at: now, version: 4 } },
    { name: 'add-tasks leaves the sprint as it is', change: { kind: 'sprints', action: 'add-tasks', target: 'SPR-001', task_ids: ['TASK-000001'] }, want: sprint },
    { name: 'remove-task leaves the sprint as it is', change: { kind: 'sprints', action: 'remove-task', target: 'SPR-001', task_id: 'TASK-000001' }, want: sprint },
    { name: 'delete', change: { kind: 'sprints', action: 'delete', target: 'SPR-001' }, want: null },
  ])('$name', ({ change, want }) => {
    const next = applyChange(sprint, change, now);
    if (want === null) expect(next).toBeNull();
    else expect(next).toMatchObject(want);
    expect(applyChange(undefined, change, now)).toBeNull();
  });

  it('add-tasks and remove-task move tasks: into the sprint (joining its project when they have none), and out', () => {
    const add: Change = { kind: 'sprints', action: 'add-tasks', target: 'SPR-001', task_ids: ['TASK-000001', 'TASK-000002'] };
    expect(tasksMovedBy(add)).toEqual({ ids: ['TASK-000001', 'TASK-000002'], sprintId: 'SPR-001' });
    expect(moveTask(task, sprint, 'SPR-001', now)).toEqual({ ...task, sprint_id: 'SPR-001', project_id: 'PRJ-001', updated_at: now, version: 5 });
    const elsewhere = { ...task, project_id: 'PRJ-009' };
    expect(moveTask(elsewhere, sprint, 'SPR-001', now).project_id).toBe('PRJ-009');
    expect(tasksMovedBy({ kind: 'sprints', action: 'remove-task', target: 'SPR-001', task_id: 'TASK-000001' })).toEqual({ ids: ['TASK-000001'], sprintId: null });
    expect(moveTask({ ...task, sprint_id: 'SPR-001' }, sprint, null, now)).toMatchObject({ sprint_id: null, version: 5 });
    expect(tasksMovedBy({ kind: 'sprints', action: 'start', target: 'SPR-001' })).toBeUndefined();
    expect(tasksMovedBy({ kind: 'tasks', action: 'delete', target: task.id })).toBeUndefined();
  });
});

describe('temporary ids', () => {
  it('look like TASK-L, PRJ-L or SPR-L and 8 hex digits, and differ', () => {
    const made = [temporaryId('tasks'), temporaryId('projects'), temporaryId('sprints')];
    expect(made[0]).toMatch(/^TASK-L[0-9a-f]{8}$/);
    expect(made[1]).toMatch(/^PRJ-L[0-9a-f]{8}$/);
    expect(made[2]).toMatch(/^SPR-L[0-9a-f]{8}$/);
    for (const id of made) expect(isTemporaryId(id)).toBe(true);
    expect(new Set(Array.from({ length: 100 }, () => temporaryId('tasks'))).size).toBe(100);
    for (const id of ['TASK-000123', 'PRJ-001', 'SPR-001', 'TASK-LABCDEF01', 'TASK-L1234567']) expect(isTemporaryId(id)).toBe(false);
  });

  it('references: what a change names besides its target, resolved to server ids once sent', () => {
    const ids: Record<string, string> = { 'PRJ-L0000000a': 'PRJ-007', 'SPR-L0000000b': 'SPR-008', 'TASK-L0000000c': 'TASK-000009' };
    const resolve = (id: string): string => ids[id] ?? id;
    const create: Change = { kind: 'tasks', action: 'create', target: 'TASK-L0000000d', body: { title: 'x', project_id: 'PRJ-L0000000a', sprint_id: 'SPR-L0000000b' } };
    expect(referencesOf(create)).toEqual(['PRJ-L0000000a', 'SPR-L0000000b']);
    expect(resolveReferences(create, resolve)).toEqual({ ...create, body: { title: 'x', project_id: 'PRJ-007', sprint_id: 'SPR-008' } });
    const sprintCreate: Change = { kind: 'sprints', action: 'create', target: 'SPR-L0000000e', body: { name: 's', project_id: 'PRJ-L0000000a', start_date: '2026-01-01', end_date: '2026-01-02' } };
    expect(referencesOf(sprintCreate)).toEqual(['PRJ-L0000000a']);
    expect(resolveReferences(sprintCreate, resolve)).toMatchObject({ body: { project_id: 'PRJ-007' } });
    const add: Change = { kind: 'sprints', action: 'add-tasks', target: 'SPR-L0000000b', task_ids: ['TASK-L0000000c', 'TASK-000001'] };
    expect(referencesOf(add)).toEqual(['TASK-L0000000c', 'TASK-000001']);
    expect(resolveReferences(add, resolve)).toEqual({ ...add, target: 'SPR-008', task_ids: ['TASK-000009', 'TASK-000001'] });
    const remove: Change = { kind: 'sprints', action: 'remove-task', target: 'SPR-L0000000b', task_id: 'TASK-L0000000c' };
    expect(resolveReferences(remove, resolve)).toEqual({ ...remove, target: 'SPR-008', task_id: 'TASK-000009' });
    const update: Change = { kind: 'projects', action: 'update', target: 'PRJ-L0000000a', body: { name: 'n' }, base_version: 1 };
    expect(referencesOf(update)).toEqual([]);
    expect(resolveReferences(update, resolve)).toEqual({ ...update, target: 'PRJ-007' });
    // A task update that takes a task out of its project names no project.
    expect(referencesOf({ kind: 'tasks', action: 'update', target: 'TASK-000001', body: { project_id: null } })).toEqual([]);
  });

  it('baseVersion and describeChange', () => {
    expect(baseVersion({ kind: 'tasks', action: 'update', target: 'TASK-000001', body: {}, base_version: 7 })).toBe(7);
    expect(baseVersion({ kind: 'sprints', action: 'start', target: 'SPR-001' })).toBeUndefined();
    expect(describeChange({ kind: 'tasks', action: 'update', target: 'TASK-000001', body: { status: 'completed', tags: ['a'] } })).toBe('update status=completed, tags=["a"]');
    expect(describeChange({ kind: 'sprints', action: 'add-tasks', target: 'SPR-001', task_ids: ['TASK-000001', 'TASK-000002'] })).toBe('add-tasks TASK-000001, TASK-000002');
    expect(describeChange({ kind: 'sprints', action: 'remove-task', target: 'SPR-001', task_id: 'TASK-000001' })).toBe('remove-task TASK-000001');
    expect(describeChange({ kind: 'projects', action: 'delete', target: 'PRJ-001' })).toBe('delete');
    expect(describeChange({ kind: 'tasks', action: 'complete', target: 'TASK-000001', body: {} })).toBe('complete');
  });
});

describe('alreadyApplied: a resent change that the server already shows is not a conflict', () => {
  it('compares the changed fields only', () => {
    const remote = { ...task, priority: 'high' as const, tags: ['a', 'b'], version: 9 };
    expect(alreadyApplied(remote, { kind: 'tasks', action: 'update', target: task.id, body: { priority: 'high', tags: ['a', 'b'] } })).toBe(true);
    expect(alreadyApplied(remote, { kind: 'tasks', action: 'update', target: task.id, body: { priority: 'low' } })).toBe(false);
    expect(alreadyApplied({ ...task, status: 'completed' }, { kind: 'tasks', action: 'complete', target: task.id, body: {} })).toBe(true);
    expect(alreadyApplied(task, { kind: 'tasks', action: 'complete', target: task.id, body: {} })).toBe(false);
    expect(alreadyApplied(task, { kind: 'tasks', action: 'delete', target: task.id })).toBe(false);
  });

  it('for projects and sprints too', () => {
    expect(alreadyApplied({ ...project, name: 'New' }, { kind: 'projects', action: 'update', target: project.id, body: { name: 'New' } })).toBe(true);
    expect(alreadyApplied({ ...sprint, status: 'active' }, { kind: 'sprints', action: 'start', target: sprint.id })).toBe(true);
    expect(alreadyApplied(sprint, { kind: 'sprints', action: 'start', target: sprint.id })).toBe(false);
    expect(alreadyApplied({ ...sprint, status: 'completed' }, { kind: 'sprints', action: 'complete', target: sprint.id })).toBe(true);
  });
});
