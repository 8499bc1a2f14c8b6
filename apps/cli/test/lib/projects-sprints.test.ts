import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/lib/errors.js';
import { nullable, projectId, projectUpdate } from '../../src/lib/projects.js';
import { calendarDate } from '../../src/lib/calendar.js';
import { countByStatus, sprintCreate, sprintId, sprintUpdate, summariseBurndown, taskIds } from '../../src/lib/sprints.js';

function usage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    return (error as CliError).message;
  }
  throw new Error('expected a usage error');
}

describe('ids', () => {
  it.each([
    { given: 'PRJ-001', want: 'PRJ-001' },
    { given: ' prj-1234 ', want: 'PRJ-1234' },
  ])('projectId($given) → $want', ({ given, want }) => {
    expect(projectId(given)).toBe(want);
  });
  it.each(['PRJ-01', 'SPR-001', '', 'PRJ-001x'])('projectId(%j) is a usage error', (given) => {
    expect(usage(() => projectId(given))).toContain('is not a project id');
  });
  it.each([
    { given: 'spr-002', want: 'SPR-002' },
    { given: 'SPR-0001', want: 'SPR-0001' },
  ])('sprintId($given) → $want', ({ given, want }) => {
    expect(sprintId(given)).toBe(want);
  });
  it.each([
    { given: ['TASK-000001'], want: ['TASK-000001'] },
    { given: ['task-000002', 'TASK-000001', 'TASK-000002'], want: ['TASK-000002', 'TASK-000001'] },
  ])('taskIds($given) → $want', ({ given, want }) => {
    expect(taskIds(given)).toEqual(want);
  });
  it.each([
    { given: [], want: 'No task ids given.' },
    { given: ['TASK-1', 'x'], want: 'Not a task id: "TASK-1", "x".' },
    { given: Array.from({ length: 501 }, (_, index) => `TASK-${String(index).padStart(6, '0')}`), want: '501 task ids given; at most 500 fit in one call.' },
  ])('taskIds of $given.length ids is a usage error', ({ given, want }) => {
    expect(usage(() => taskIds(given))).toBe(want);
  });
});

describe('dates', () => {
  it.each(['2026-01-31', '2028-02-29', ' 2026-12-01'])('calendarDate(%j) is valid', (given) => {
    expect(calendarDate(given, '--start')).toBe(given.trim());
  });
  it.each(['2026-02-29', '2026-13-01', '2026-1-5', '20260105', 'tomorrow', '2026-01-01T00:00:00Z'])('calendarDate(%j) is a usage error', (given) => {
    expect(usage(() => calendarDate(given, '--end'))).toBe(`--end must be a calendar date YYYY-MM-DD, got "${given}".`);
  });
});

describe('request bodies', () => {
  it.each([
    { given: undefined, want: undefined },
    { given: '', want: null },
    { given: '  ', want: null },
    { given: 'x', want: 'x' },
  ])('nullable($given) → $want', ({ given, want }) => {
    expect(nullable(given)).toBe(want);
  });

  it('sprintCreate checks the dates and the project id, and keeps a goal', () => {
    expect(sprintCreate({ name: 'S', project: 'prj-001', start: '2026-03-02', end: '2026-03-02', goal: 'G' })).toEqual({
      name: 'S',
      project_id: 'PRJ-001',
      start_date: '2026-03-02',
      end_date: '2026-03-02',
      goal: 'G',
    });
    expect(usage(() => sprintCreate({ name: 'S', project: 'PRJ-001', start: '2026-03-03', end: '2026-03-02' }))).toBe(
      '--end 2026-03-02 is before --start 2026-03-03.',
    );
  });

  it.each([
    { given: { goal: '' }, want: { goal: null } },
    { given: { name: 'N', start: '2026-03-02' }, want: { name: 'N', start_date: '2026-03-02' } },
  ])('sprintUpdate($given) → $want', ({ given, want }) => {
    expect(sprintUpdate(given)).toEqual(want);
  });

  it.each([{}, { name: undefined }])('sprintUpdate(%j) and projectUpdate(%j) need a change', (given) => {
    expect(usage(() => sprintUpdate(given))).toBe('Nothing to change.');
    expect(usage(() => projectUpdate(given))).toBe('Nothing to change.');
  });

  it('projectUpdate clears with "" and keeps the rest', () => {
    expect(projectUpdate({ owner: '', status: 'archived' })).toEqual({ owner: null, status: 'archived' });
  });
});

describe('counts and summaries', () => {
  it('countByStatus counts every status', () => {
    expect(countByStatus([{ status: 'completed' }, { status: 'pending' }, { status: 'completed' }])).toEqual({
      pending: 1,
      in_progress: 0,
      blocked: 0,
      completed: 2,
      cancelled: 0,
    });
  });

  const point = (date: string, remaining: number | null) => ({ date, remaining, ideal: 0, completed: remaining === null ? null : 0 });
  it.each([
    { name: 'under way', points: [point('2026-03-02', 4), point('2026-03-03', 2), point('2026-03-04', null)], want: { scope: 5, done: 3, remaining: 2, asOf: '2026-03-03' } },
    { name: 'not started', points: [point('2026-03-02', null)], want: { scope: 5, done: 0, remaining: 5, asOf: undefined } },
    { name: 'over', points: [point('2026-03-02', 1), point('2026-03-03', 0)], want: { scope: 5, done: 5, remaining: 0, asOf: '2026-03-03' } },
  ])('summariseBurndown: $name', ({ points, want }) => {
    expect(summariseBurndown({ sprint_id: 'SPR-001', unit: 'tasks', start_date: '2026-03-02', end_date: '2026-03-04', scope: 5, points })).toEqual(want);
  });
});
