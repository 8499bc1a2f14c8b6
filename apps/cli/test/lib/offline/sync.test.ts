import { describe, expect, it } from 'vitest';
import type { Task } from '@dtm/sdk';
import { alreadyApplied, applyLocally } from '../../../src/lib/offline/sync.js';
import { makeTask } from '../../fixtures.js';

const now = '2026-11-27T10:00:00.000Z';
const task: Task = makeTask('TASK-000001', {
  title: 'Write docs',
  created_at: '2026-11-01T00:00:00.000Z',
  updated_at: '2026-11-01T00:00:00.000Z',
  version: 4,
});

describe('applyLocally: a queued change as the local copy shows it', () => {
  it('creates with the server’s defaults and version 1', () => {
    expect(applyLocally(undefined, { action: 'create', target: 'TASK-Labcdef01', body: { title: 'New', tags: ['x'] } }, now)).toEqual({
      ...task,
      id: 'TASK-Labcdef01',
      title: 'New',
      tags: ['x'],
      created_at: now,
      updated_at: now,
      version: 1,
    });
  });

  it('updates and completes bump the version as the server will', () => {
    const updated = applyLocally(task, { action: 'update', target: task.id, body: { priority: 'high', assignee: null } }, now);
    expect(updated).toMatchObject({ priority: 'high', assignee: null, version: 5, updated_at: now, completed_at: null });
    const viaStatus = applyLocally(task, { action: 'update', target: task.id, body: { status: 'completed' } }, now);
    expect(viaStatus).toMatchObject({ status: 'completed', completed_at: now });
    const completed = applyLocally(task, { action: 'complete', target: task.id, body: { completion_notes: 'ok' } }, now);
    expect(completed).toMatchObject({ status: 'completed', completed_at: now, completion_notes: 'ok', version: 5 });
  });

  it('deletes, and changes to an unknown task give nothing', () => {
    expect(applyLocally(task, { action: 'delete', target: task.id }, now)).toBeNull();
    expect(applyLocally(undefined, { action: 'update', target: task.id, body: { title: 'x' } }, now)).toBeNull();
  });
});

describe('alreadyApplied: a resent change that the server already shows is not a conflict', () => {
  it('compares the changed fields only', () => {
    const remote = { ...task, priority: 'high' as const, tags: ['a', 'b'], version: 9 };
    expect(alreadyApplied(remote, { action: 'update', target: task.id, body: { priority: 'high', tags: ['a', 'b'] } })).toBe(true);
    expect(alreadyApplied(remote, { action: 'update', target: task.id, body: { priority: 'low' } })).toBe(false);
    expect(alreadyApplied({ ...task, status: 'completed' }, { action: 'complete', target: task.id, body: {} })).toBe(true);
    expect(alreadyApplied(task, { action: 'complete', target: task.id, body: {} })).toBe(false);
    expect(alreadyApplied(task, { action: 'delete', target: task.id })).toBe(false);
  });
});
