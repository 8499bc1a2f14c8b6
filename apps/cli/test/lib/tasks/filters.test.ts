import { describe, expect, it } from 'vitest';
import { CliError } from '../../../src/lib/errors.js';
import type { TaskFilters } from '@dtm/sdk';
import { type FilterFlags, type KeyValueFilters, describeFilters, filtersFromFlags, parseFilters } from '../../../src/lib/tasks/filters.js';

describe('parseFilters', () => {
  const good: { given: string[]; want: KeyValueFilters }[] = [
    { given: [], want: {} },
    { given: ['project_id=PRJ-001'], want: { project_id: 'PRJ-001' } },
    { given: ['status=pending'], want: { status: ['pending'] } },
    { given: ['status=pending,blocked', 'status=blocked,completed'], want: { status: ['pending', 'blocked', 'completed'] } },
    { given: ['priority=high, critical'], want: { priority: ['high', 'critical'] } },
    { given: [' sprint_id = SPR-002 '], want: { sprint_id: 'SPR-002' } },
    { given: ['assignee=alice', 'assignee=alice'], want: { assignee: 'alice' } },
    { given: ['q=release notes=v2'], want: { q: 'release notes=v2' } },
    { given: ['updated_since=2026-11-01T00:00:00Z'], want: { updated_since: '2026-11-01T00:00:00Z' } },
    { given: ['updated_since=2026-11-01T10:00:00.5+02:00'], want: { updated_since: '2026-11-01T10:00:00.5+02:00' } },
    {
      given: ['project_id=PRJ-002', 'status=pending', 'priority=low', 'assignee=bob'],
      want: { project_id: 'PRJ-002', status: ['pending'], priority: ['low'], assignee: 'bob' },
    },
  ];
  it.each(good)('$given → $want', ({ given, want }) => {
    expect(parseFilters(given)).toEqual(want);
  });

  const bad: { given: string[]; want: RegExp }[] = [
    { given: ['project_id'], want: /not key=value/ },
    { given: ['project=PRJ-001'], want: /"project" is not a filter/ },
    { given: ['sort=id'], want: /"sort" is not a filter/ },
    { given: ['=x'], want: /"" is not a filter/ },
    { given: ['status='], want: /--filter status has no value/ },
    { given: ['status=done'], want: /"done", which is not one of pending, in_progress/ },
    { given: ['status=pending,'], want: /"", which is not one of/ },
    { given: ['priority=urgent'], want: /"urgent", which is not one of low, medium, high, critical/ },
    { given: ['project_id=001'], want: /must be a project id like PRJ-001/ },
    { given: ['sprint_id=PRJ-001'], want: /must be a sprint id like SPR-001/ },
    { given: ['assignee=al ice'], want: /must be a username/ },
    { given: ['q='], want: /has no value/ },
    { given: [`q=${'x'.repeat(201)}`], want: /the most is 200/ },
    { given: ['updated_since=yesterday'], want: /RFC 3339/ },
    { given: ['updated_since=2026-11-01'], want: /RFC 3339/ },
    { given: ['project_id=PRJ-001', 'project_id=PRJ-002'], want: /given twice/ },
  ];
  it.each(bad)('$given is a usage error: $want', ({ given, want }) => {
    let thrown: unknown;
    try {
      parseFilters(given);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as CliError).exitCode).toBe(2);
    expect((thrown as CliError).message).toMatch(want);
  });
});

describe('describeFilters', () => {
  it.each([
    { given: {}, want: '' },
    { given: { project_id: 'PRJ-001' }, want: 'project_id=PRJ-001' },
    { given: { status: ['pending', 'blocked'], assignee: 'bob' }, want: 'status=pending,blocked assignee=bob' },
  ] satisfies { given: KeyValueFilters; want: string }[])('$given → "$want"', ({ given, want }) => {
    expect(describeFilters(given)).toBe(want);
  });
});

describe('filtersFromFlags', () => {
  it.each([
    { given: {}, want: {} },
    {
      given: { status: ['pending'], priority: ['high'], project: 'PRJ-001', sprint: 'SPR-002', assignee: 'bob', sort: '-id' },
      want: { status: ['pending'], priority: ['high'], project_id: 'PRJ-001', sprint_id: 'SPR-002', assignee: 'bob', sort: '-id' },
    },
    { given: { search: 'notes', 'updated-since': '2026-11-01T00:00:00Z' }, want: { q: 'notes', updated_since: '2026-11-01T00:00:00Z' } },
  ] satisfies { given: FilterFlags; want: TaskFilters }[])('$given → $want', ({ given, want }) => {
    // toEqual treats a key holding undefined as absent.
    expect(filtersFromFlags(given)).toEqual(want);
  });

  it.each([
    { given: { project: 'PRJ-1' }, want: /--project must be a project id/ },
    { given: { sprint: 'SPR' }, want: /--sprint must be a sprint id/ },
    { given: { assignee: 'a b' }, want: /--assignee must be a username/ },
    { given: { search: '' }, want: /--search must not be empty/ },
    { given: { 'updated-since': 'last week' }, want: /--updated-since must be an RFC 3339 time/ },
  ] satisfies { given: FilterFlags; want: RegExp }[])('$given is a usage error: $want', ({ given, want }) => {
    expect(() => filtersFromFlags(given)).toThrow(want);
  });
});
