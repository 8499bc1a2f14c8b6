import { describe, expect, it } from 'vitest';
import type { Task, TaskUpdate } from '@dtm/sdk';
import { CliError } from '../../../src/lib/errors.js';
import { type TaskFieldInput, describeChanges, taskChanges, taskDiff } from '../../../src/lib/tasks/changes.js';
import { checkDate, checkTimestamp, parseHours } from '../../../src/lib/tasks/values.js';
import { ifMatchOf } from '../../../src/lib/tasks/versions.js';

function usageMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    return (error as CliError).message;
  }
  throw new Error('expected a usage error');
}

describe('taskChanges', () => {
  const good: { given: TaskFieldInput; want: TaskUpdate }[] = [
    { given: {}, want: {} },
    {
      given: { title: 'Write notes', status: 'in_progress', priority: 'high' },
      want: { title: 'Write notes', status: 'in_progress', priority: 'high' },
    },
    {
      given: { project: 'PRJ-001', sprint: 'SPR-002', assignee: 'alice' },
      want: { project_id: 'PRJ-001', sprint_id: 'SPR-002', assignee: 'alice' },
    },
    { given: { tag: ['docs', ' ui ', 'docs'] }, want: { tags: ['docs', 'ui'] } },
    { given: { due: '2028-02-29', estimate: '1.5' }, want: { due_date: '2028-02-29', estimate_hours: 1.5 } },
    { given: { description: '' }, want: { description: '' } },
    { given: { 'clear-assignee': true, 'clear-due': true, 'clear-tags': true }, want: { assignee: null, due_date: null, tags: [] } },
    {
      given: { 'clear-description': true, 'clear-project': true, 'clear-sprint': true, 'clear-estimate': true },
      want: { description: null, project_id: null, sprint_id: null, estimate_hours: null },
    },
    { given: { 'clear-assignee': false }, want: {} },
  ];
  it.each(good)('$given → $want', ({ given, want }) => {
    expect(taskChanges(given)).toEqual(want);
  });

  const bad: { given: TaskFieldInput; want: RegExp }[] = [
    { given: { title: '' }, want: /--title must not be empty/ },
    { given: { title: 'x'.repeat(201) }, want: /--title is 201 characters long; the most is 200/ },
    { given: { project: 'project-1' }, want: /--project must be a project id like PRJ-001/ },
    { given: { sprint: 'SPR-1' }, want: /--sprint must be a sprint id like SPR-001/ },
    { given: { assignee: 'Alice Smith' }, want: /--assignee must be a username/ },
    { given: { tag: ['two words'] }, want: /--tag must be a tag/ },
    { given: { tag: Array.from({ length: 21 }, (_, index) => `t${index}`) }, want: /at most 20 tags/ },
    { given: { due: '2026-02-30' }, want: /--due must be a date as YYYY-MM-DD/ },
    { given: { estimate: 'lots' }, want: /--estimate must be a number of hours/ },
    { given: { assignee: 'bob', 'clear-assignee': true }, want: /--clear-assignee and --assignee contradict/ },
  ];
  it.each(bad)('$given is a usage error: $want', ({ given, want }) => {
    expect(usageMessage(() => taskChanges(given))).toMatch(want);
  });
});

describe('values', () => {
  it.each([
    ['2026-11-20', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2026-13-01', false],
    ['2026-1-1', false],
    ['20261120', false],
  ])('checkDate(%s) valid: %s', (given, valid) => {
    if (valid) expect(checkDate(given, '--due')).toBe(given);
    else expect(usageMessage(() => checkDate(given, '--due'))).toContain('YYYY-MM-DD');
  });

  it.each([
    ['2026-11-01T00:00:00Z', true],
    ['2026-11-01T00:00:00.123+01:00', true],
    ['2026-11-01t00:00:00z', true],
    ['2026-11-01T00:00:00', false],
    ['2026-11-01', false],
    ['2026-11-01T25:00:00Z', false],
  ])('checkTimestamp(%s) valid: %s', (given, valid) => {
    if (valid) expect(checkTimestamp(given, 'x')).toBe(given);
    else expect(usageMessage(() => checkTimestamp(given, 'x'))).toContain('RFC 3339');
  });

  it.each([
    ['0', 0],
    ['3', 3],
    ['1.5', 1.5],
    ['10000', 10_000],
    ['10000.5', undefined],
    ['-1', undefined],
    ['1e3', undefined],
    ['', undefined],
  ])('parseHours(%s) → %s', (given, want) => {
    if (want === undefined) expect(usageMessage(() => parseHours(given, '--estimate'))).toContain('--estimate');
    else expect(parseHours(given, '--estimate')).toBe(want);
  });

  it.each([
    [{}, undefined],
    [{ 'expect-version': 3 }, 3],
    [{ 'if-match': '"3"' }, '"3"'],
    [{ 'if-match': '3' }, '"3"'],
    [{ 'if-match': 'W/"3"' }, 'W/"3"'],
    [{ 'if-match': '*' }, '*'],
  ])('ifMatchOf(%j) → %j', (given, want) => {
    expect(ifMatchOf(given)).toEqual(want);
  });
});

const task: Task = {
  id: 'TASK-000001',
  title: 'Fix login form',
  description: null,
  status: 'pending',
  priority: 'low',
  project_id: 'PRJ-001',
  sprint_id: null,
  assignee: null,
  tags: ['bug'],
  due_date: null,
  estimate_hours: null,
  completed_at: null,
  completion_notes: null,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  version: 1,
};

describe('taskDiff and describeChanges', () => {
  it.each([
    { changes: { status: 'pending' }, want: '' },
    { changes: { status: 'completed' }, want: 'status: pending → completed' },
    { changes: { assignee: 'alice', priority: 'low' }, want: 'assignee: - → alice' },
    { changes: { tags: ['bug'] }, want: '' },
    { changes: { tags: [] }, want: 'tags: bug → -' },
    { changes: { sprint_id: 'SPR-002', priority: 'high' }, want: 'sprint_id: - → SPR-002; priority: low → high' },
  ] satisfies { changes: TaskUpdate; want: string }[])('$changes → "$want"', ({ changes, want }) => {
    expect(describeChanges(taskDiff(task, changes))).toBe(want);
  });
});
