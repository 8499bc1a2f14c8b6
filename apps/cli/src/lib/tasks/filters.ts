import { Flags } from '@oclif/core';
import type { TaskFilters, TaskPriority, TaskStatus } from '@dtm/sdk';
import { taskPriorities, taskSorts, taskStatuses } from '../contract.js';
import { usageError } from '../errors.js';
import { checkId, checkText, checkTimestamp, checkUsername } from './values.js';

/** The keys `--filter key=value` accepts: the filters of listTasks. */
export const filterKeys = ['status', 'priority', 'project_id', 'sprint_id', 'assignee', 'q', 'updated_since'] as const;
export type FilterKey = (typeof filterKeys)[number];
export type KeyValueFilters = Pick<TaskFilters, FilterKey>;

const keyHint = `Use key=value with one of: ${filterKeys.join(', ')} (e.g. --filter project_id=PRJ-001 --filter status=pending,blocked).`;

function isFilterKey(key: string): key is FilterKey {
  return (filterKeys as readonly string[]).includes(key);
}

function parseList<T extends string>(value: string, allowed: readonly T[], label: string): T[] {
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw usageError(`${label} has "${item}", which is not one of ${allowed.join(', ')}.`, keyHint);
    }
  }
  return items as T[];
}

/**
 * Parses `--filter key=value` specs into listTasks filters. status and priority take a
 * comma-separated list and add up when repeated (`status=pending --filter status=blocked`);
 * the other keys take one value, and repeating one with another value is an error (no task
 * is in two projects). Every value is checked against the contract.
 */
export function parseFilters(specs: readonly string[]): KeyValueFilters {
  const filters: KeyValueFilters = {};
  for (const spec of specs) {
    const equals = spec.indexOf('=');
    if (equals < 0) throw usageError(`--filter "${spec}" is not key=value.`, keyHint);
    const key = spec.slice(0, equals).trim();
    const value = spec.slice(equals + 1).trim();
    if (!isFilterKey(key)) throw usageError(`--filter "${spec}": "${key}" is not a filter.`, keyHint);
    const label = `--filter ${key}`;
    if (value === '') throw usageError(`${label} has no value.`, keyHint);
    switch (key) {
      case 'status':
        filters.status = union(filters.status, parseList<TaskStatus>(value, taskStatuses, label));
        break;
      case 'priority':
        filters.priority = union(filters.priority, parseList<TaskPriority>(value, taskPriorities, label));
        break;
      case 'project_id':
        filters.project_id = once(filters.project_id, checkId('project', value, label), label);
        break;
      case 'sprint_id':
        filters.sprint_id = once(filters.sprint_id, checkId('sprint', value, label), label);
        break;
      case 'assignee':
        filters.assignee = once(filters.assignee, checkUsername(value, label), label);
        break;
      case 'q':
        filters.q = once(filters.q, checkText(value, label, 200), label);
        break;
      case 'updated_since':
        filters.updated_since = once(filters.updated_since, checkTimestamp(value, label), label);
        break;
    }
  }
  return filters;
}

function union<T>(current: T[] | undefined, more: T[]): T[] {
  return [...new Set([...(current ?? []), ...more])];
}

function once(current: string | undefined, value: string, label: string): string {
  if (current !== undefined && current !== value) {
    throw usageError(`${label} is given twice, as "${current}" and "${value}"; a task matches only one.`);
  }
  return value;
}

/** `status=pending,blocked project_id=PRJ-001`: the filters as a person typed them, for messages. */
export function describeFilters(filters: KeyValueFilters): string {
  return Object.entries(filters)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : value}`)
    .join(' ');
}

/** The filter flags `task list` and `task export` share. */
export const taskFilterFlags = {
  status: Flags.option({ options: taskStatuses, multiple: true, delimiter: ',', description: 'Only these statuses' })(),
  priority: Flags.option({ options: taskPriorities, multiple: true, delimiter: ',', description: 'Only these priorities' })(),
  project: Flags.string({ description: 'Only tasks of this project (PRJ-…)' }),
  sprint: Flags.string({ description: 'Only tasks of this sprint (SPR-…)' }),
  assignee: Flags.string({ description: 'Only tasks assigned to this user' }),
  search: Flags.string({ description: 'Text to find in titles and descriptions' }),
  'updated-since': Flags.string({ description: 'Only tasks changed at or after this time (RFC 3339)' }),
  sort: Flags.option({ options: taskSorts, description: 'Order; a leading - reverses it (default: by id)' })(),
};

/** The filter flags of `task list` and `task export`, as oclif parsed them. */
export interface FilterFlags {
  status?: TaskStatus[] | undefined;
  priority?: TaskPriority[] | undefined;
  project?: string | undefined;
  sprint?: string | undefined;
  assignee?: string | undefined;
  search?: string | undefined;
  'updated-since'?: string | undefined;
  sort?: TaskFilters['sort'];
}

/** listTasks/exportTasks filters from flags, each value checked against the contract (usage error otherwise). */
export function filtersFromFlags(flags: FilterFlags): TaskFilters {
  const check = <T>(value: string | undefined, checker: (value: string) => T): T | undefined =>
    value === undefined ? undefined : checker(value);
  return {
    status: flags.status,
    priority: flags.priority,
    project_id: check(flags.project, (value) => checkId('project', value, '--project')),
    sprint_id: check(flags.sprint, (value) => checkId('sprint', value, '--sprint')),
    assignee: check(flags.assignee, (value) => checkUsername(value, '--assignee')),
    q: check(flags.search, (value) => checkText(value, '--search', 200)),
    updated_since: check(flags['updated-since'], (value) => checkTimestamp(value, '--updated-since')),
    sort: flags.sort,
  };
}
