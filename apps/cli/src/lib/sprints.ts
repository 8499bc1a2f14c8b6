// The logic behind `dtm sprint …`: id and date checks, the changes a command line asks
// for, task counts, the burndown's summary, and what a refused start means.
import type { Burndown, DtmClient, SprintCreate, SprintUpdate, Task, TaskStatus } from '@dtm/sdk';
import { calendarDate } from './calendar.js';
import { CliError, usageError } from './errors.js';
import { apiErrorNamed, nullable, projectId } from './projects.js';

const sprintIdPattern = /^SPR-\d{3,}$/i;
const taskIdPattern = /^TASK-\d{6,}$/i;
/** The most task ids one `assignSprintTasks` call takes (the contract's maxItems). */
export const maxTaskIds = 500;

/** A sprint id as the API spells it (`spr-001` → `SPR-001`); a usage error for anything else. */
export function sprintId(value: string): string {
  const trimmed = value.trim();
  // A sprint created offline keeps its temporary id (SPR-L and 8 hex digits) until `dtm sync`.
  if (/^SPR-L[0-9a-f]{8}$/.test(trimmed)) return trimmed;
  if (!sprintIdPattern.test(trimmed)) {
    throw usageError(`"${value}" is not a sprint id.`, 'Sprint ids look like SPR-001; `dtm sprint list` shows them.');
  }
  return trimmed.toUpperCase();
}

/**
 * Task ids for `sprint add-tasks`: each like TASK-000123, 1 to 500 of them; a repeated id
 * counts once (the API refuses duplicates).
 */
export function taskIds(values: readonly string[]): string[] {
  if (values.length === 0) throw usageError('No task ids given.', 'Pass 1 to 500 task ids, e.g. `dtm sprint add-tasks SPR-001 TASK-000123 TASK-000124`.');
  const temporary = /^TASK-L[0-9a-f]{8}$/;
  const bad = values.filter((value) => !taskIdPattern.test(value.trim()) && !temporary.test(value.trim()));
  if (bad.length > 0) {
    throw usageError(`Not a task id: ${bad.map((value) => `"${value}"`).join(', ')}.`, 'Task ids look like TASK-000123; `dtm task list` shows them.');
  }
  const ids = [...new Set(values.map((value) => (temporary.test(value.trim()) ? value.trim() : value.trim().toUpperCase())))];
  if (ids.length > maxTaskIds) {
    throw usageError(`${ids.length} task ids given; at most ${maxTaskIds} fit in one call.`, 'Split them over several `dtm sprint add-tasks` calls.');
  }
  return ids;
}

/** A usage error when the sprint would end before it starts; `names` are what the user called the two dates. */
export function checkRange(start: string | undefined, end: string | undefined, names: [string, string] = ['--start', '--end']): void {
  if (start !== undefined && end !== undefined && end < start) {
    throw usageError(`${names[1]} ${end} is before ${names[0]} ${start}.`, 'A sprint ends on or after the day it starts.');
  }
}

function checkName(name: string | undefined): void {
  if (name?.trim() === '') throw usageError('The sprint name must not be empty.');
}

export interface SprintCreateFlags {
  name: string;
  project: string;
  start: string;
  end: string;
  goal?: string | undefined;
}

/** The body of `createSprint` from the flags, with the dates checked here first. */
export function sprintCreate(flags: SprintCreateFlags): SprintCreate {
  checkName(flags.name);
  const start = calendarDate(flags.start, '--start');
  const end = calendarDate(flags.end, '--end');
  checkRange(start, end);
  const body: SprintCreate = { name: flags.name, project_id: projectId(flags.project), start_date: start, end_date: end };
  const goal = nullable(flags.goal);
  if (goal !== undefined) body.goal = goal;
  return body;
}

export interface SprintUpdateFlags {
  name?: string | undefined;
  goal?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
}

/** The body of `updateSprint` from the flags; a usage error when nothing would change. */
export function sprintUpdate(flags: SprintUpdateFlags): SprintUpdate {
  checkName(flags.name);
  const changes: SprintUpdate = {};
  if (flags.name !== undefined) changes.name = flags.name;
  const goal = nullable(flags.goal);
  if (goal !== undefined) changes.goal = goal;
  if (flags.start !== undefined) changes.start_date = calendarDate(flags.start, '--start');
  if (flags.end !== undefined) changes.end_date = calendarDate(flags.end, '--end');
  checkRange(changes.start_date, changes.end_date);
  if (Object.keys(changes).length === 0) {
    throw usageError('Nothing to change.', 'Pass at least one of --name, --goal, --start, --end.');
  }
  return changes;
}

export type StatusCounts = Record<TaskStatus, number>;

/** Tasks counted by status, every status present (0 when none). */
export function countByStatus(tasks: readonly Pick<Task, 'status'>[]): StatusCounts {
  const counts: StatusCounts = { pending: 0, in_progress: 0, blocked: 0, completed: 0, cancelled: 0 };
  for (const task of tasks) counts[task.status]++;
  return counts;
}

/** Every task of a sprint (all pages). */
export async function sprintTasks(client: DtmClient, id: string): Promise<Task[]> {
  const tasks: Task[] = [];
  for await (const task of client.tasks.listAll({ sprint_id: id, sort: 'id' })) tasks.push(task);
  return tasks;
}

export interface BurndownSummary {
  /** Tasks in the sprint, cancelled ones aside. */
  scope: number;
  /** Completed by the last day that has passed (0 before the sprint starts). */
  done: number;
  /** Still open at the end of that day (the scope before the sprint starts). */
  remaining: number;
  /** The last day with data, or undefined when the sprint has not started yet. */
  asOf: string | undefined;
}

/** Where a sprint stands, from its burndown: the last day with data. */
export function summariseBurndown(burndown: Burndown): BurndownSummary {
  const known = burndown.points.filter((point) => point.remaining !== null);
  const last = known.at(-1);
  const remaining = last?.remaining ?? burndown.scope;
  return { scope: burndown.scope, done: Math.max(burndown.scope - remaining, 0), remaining, asOf: last?.date };
}

/**
 * A 409 from `startSprint`: the sprint is active or completed already, or another sprint of
 * its project is active. The server's detail does not say which in a form to rely on, so the
 * sprint (and its project's active sprint) are read to tell the cases apart. Other errors
 * pass unchanged.
 */
export async function explainStartConflict(error: unknown, id: string, client: DtmClient): Promise<unknown> {
  const conflict = apiErrorNamed(error, 'ConflictError');
  if (!conflict) return error;
  const explain = (message: string, hint: string): CliError => new CliError(message, { hint, code: 'conflict', cause: error });
  try {
    const sprint = await client.sprints.get(id);
    if (sprint.status === 'active') {
      return explain(`${id} is already active.`, `Nothing to start; \`dtm sprint complete ${id}\` completes it when it is done.`);
    }
    if (sprint.status === 'completed') {
      return explain(`${id} is completed; a completed sprint cannot be started again.`, 'Plan a new one with `dtm sprint create`.');
    }
    const { items } = await client.sprints.list({ project_id: sprint.project_id, status: 'active', limit: 1 });
    const active = items[0];
    if (active !== undefined) {
      return explain(
        `Cannot start ${id}: ${active.id} is active in ${sprint.project_id}, and a project has one active sprint at a time.`,
        `Complete ${active.id} first (\`dtm sprint complete ${active.id}\`), then start ${id}.`,
      );
    }
  } catch {
    // The lookup failed too: the server's own words below.
  }
  return explain(
    `Cannot start ${id}: ${conflict.problem?.detail ?? 'the server refused it.'}`,
    `\`dtm sprint show ${id}\` shows its status; a project has one active sprint at a time (\`dtm sprint list --active\`).`,
  );
}

/** A 409 from `completeSprint`: only an active sprint can be completed. */
export function explainCompleteConflict(error: unknown, id: string): unknown {
  const conflict = apiErrorNamed(error, 'ConflictError');
  if (!conflict) return error;
  const detail = conflict.problem?.detail ?? `${id} is not active.`;
  return new CliError(`Cannot complete ${id}: ${detail}`, {
    hint: `Only an active sprint can be completed; \`dtm sprint show ${id}\` shows its status.`,
    code: 'conflict',
    cause: error,
  });
}

/** A 412 from `deleteSprint`: the sprint changed after it was shown for confirmation. */
export function explainDeleteStale(error: unknown, id: string): unknown {
  if (!apiErrorNamed(error, 'PreconditionFailedError')) return error;
  return new CliError(`${id} changed while you were asked; it is not deleted.`, {
    hint: `Look at it again with \`dtm sprint show ${id}\`, then run the command again.`,
    code: 'precondition_failed',
    cause: error,
  });
}
