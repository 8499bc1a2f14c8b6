import type { Burndown, BurndownPoint, Sprint } from '@dtm/sdk';
import type { BurndownSummary, StatusCounts } from '../sprints.js';
import { type Column, details, table } from './table.js';
import { type Colors, state } from './style.js';
import type { When } from './time.js';

export function sprintColumns(colors: Colors): Column<Sprint>[] {
  return [
    { header: 'id', value: (sprint) => sprint.id },
    { header: 'name', value: (sprint) => sprint.name, max: 40, shrink: 2 },
    { header: 'project', value: (sprint) => sprint.project_id },
    { header: 'status', value: (sprint) => state(colors, sprint.status) },
    { header: 'start', value: (sprint) => sprint.start_date },
    { header: 'end', value: (sprint) => sprint.end_date },
    { header: 'goal', value: (sprint) => sprint.goal ?? '', max: 40, shrink: 1 },
  ];
}

export function sprintTable(sprints: readonly Sprint[], colors: Colors, tty: boolean): string {
  return table(sprints, sprintColumns(colors), colors, tty);
}

/** Calendar days from start to end, both included. */
export function sprintDays(sprint: Pick<Sprint, 'start_date' | 'end_date'>): number {
  return Math.round((Date.parse(`${sprint.end_date}T00:00:00Z`) - Date.parse(`${sprint.start_date}T00:00:00Z`)) / 86_400_000) + 1;
}

/** `8 tasks: 2 pending, 1 in progress, 0 blocked, 4 completed, 1 cancelled`. */
export function countsLine(counts: StatusCounts): string {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return (
    `${total} task${total === 1 ? '' : 's'}: ${counts.pending} pending, ${counts.in_progress} in progress, ` +
    `${counts.blocked} blocked, ${counts.completed} completed, ${counts.cancelled} cancelled`
  );
}

export function sprintDetails(sprint: Sprint, colors: Colors, when: When, counts?: StatusCounts): string {
  const days = sprintDays(sprint);
  return details(
    [
      ['id', colors.bold(sprint.id)],
      ['name', sprint.name],
      ['project', sprint.project_id],
      ['status', state(colors, sprint.status)],
      ['dates', `${sprint.start_date} → ${sprint.end_date} (${days} day${days === 1 ? '' : 's'})`],
      ['goal', sprint.goal ?? '-'],
      ['started', sprint.started_at === null ? '-' : when(sprint.started_at)],
      ['completed', sprint.completed_at === null ? '-' : when(sprint.completed_at)],
      ['created', when(sprint.created_at)],
      ['updated', `${when(sprint.updated_at)} (version ${sprint.version})`],
      ...(counts === undefined ? [] : [['tasks', countsLine(counts)] as [string, string]]),
    ],
    colors,
  );
}

const dash = (value: number | null): string => (value === null ? '-' : String(value));

/** One row per day: date, remaining, completed, ideal (`-` for days to come). */
export function burndownTable(points: readonly BurndownPoint[], colors: Colors, tty: boolean): string {
  return table(
    points,
    [
      { header: 'date', value: (point) => point.date },
      { header: 'remaining', value: (point) => dash(point.remaining) },
      { header: 'completed', value: (point) => dash(point.completed) },
      { header: 'ideal', value: (point) => String(point.ideal) },
    ],
    colors,
    tty,
  );
}

/** `Scope 5 tasks · done 3 · remaining 2 (end of 2026-03-04)`. */
export function burndownSummaryLine(summary: BurndownSummary, burndown: Pick<Burndown, 'unit'>): string {
  const when = summary.asOf === undefined ? 'not started yet' : `end of ${summary.asOf}`;
  return `Scope ${summary.scope} ${burndown.unit} · done ${summary.done} · remaining ${summary.remaining} (${when})`;
}
