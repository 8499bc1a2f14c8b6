import { Flags } from '@oclif/core';
import { taskPriorities, taskStatuses } from '../contract.js';

/** The flags that set task fields, shared by `task create` and `task update`. */
export const taskFieldFlags = {
  description: Flags.string({ char: 'd', description: 'Longer text (up to 10,000 characters)' }),
  status: Flags.option({ options: taskStatuses, description: 'Status' })(),
  priority: Flags.option({ options: taskPriorities, char: 'p', description: 'Priority' })(),
  project: Flags.string({ description: 'Project (PRJ-…)' }),
  sprint: Flags.string({ description: 'Sprint (SPR-…); it must belong to the task’s project' }),
  assignee: Flags.string({ char: 'a', description: 'Username of who does it' }),
  tag: Flags.string({
    multiple: true,
    delimiter: ',',
    description: 'A tag; repeat the flag or separate with commas for several (replaces the task’s tags)',
  }),
  due: Flags.string({ description: 'Due date, YYYY-MM-DD' }),
  estimate: Flags.string({ description: 'Estimated effort in hours, e.g. 2 or 1.5' }),
};

/**
 * `--clear-x`: set a field back to empty, on `task update`. Giving one with the flag that sets
 * the same field is refused by `taskChanges`, with a clearer message than oclif's `exclusive`.
 */
export const clearFlags = {
  'clear-description': Flags.boolean({ description: 'Remove the description' }),
  'clear-project': Flags.boolean({ description: 'Take the task out of its project' }),
  'clear-sprint': Flags.boolean({ description: 'Take the task out of its sprint' }),
  'clear-assignee': Flags.boolean({ description: 'Unassign the task' }),
  'clear-tags': Flags.boolean({ description: 'Remove every tag' }),
  'clear-due': Flags.boolean({ description: 'Remove the due date' }),
  'clear-estimate': Flags.boolean({ description: 'Remove the estimate' }),
};

/** `--if-match` / `--expect-version`: change only the version you read. */
export const versionFlags = {
  'if-match': Flags.string({
    description: 'Apply only if the task still has this ETag (e.g. "3", as `task show --json` gives its version)',
  }),
  'expect-version': Flags.integer({
    min: 1,
    description: 'Apply only if the task is still at this version (its `version` field)',
  }),
};
