import type { Project, ProjectSummary } from '@dtm/sdk';
import type { ProjectWithTasks } from '../projects.js';
import { type Column, details, table } from './table.js';
import { type Colors, state } from './style.js';
import { taskTable } from './tasks.js';
import { type When, timeFormat } from './time.js';

export function projectColumns(colors: Colors, when: When): Column<Project>[] {
  return [
    { header: 'id', value: (project) => project.id },
    { header: 'name', value: (project) => project.name, max: 40, shrink: 2 },
    { header: 'status', value: (project) => state(colors, project.status) },
    { header: 'owner', value: (project) => project.owner ?? '', shrink: 3 },
    { header: 'updated', value: (project) => when(project.updated_at) },
    { header: 'description', value: (project) => project.description ?? '', max: 48, shrink: 1 },
  ];
}

export function projectTable(projects: readonly Project[], colors: Colors, tty: boolean): string {
  return table(projects, projectColumns(colors, timeFormat(tty)), colors, tty);
}

export function projectDetails(project: Project, colors: Colors, when: When, extra: readonly [string, string][] = []): string {
  return details(
    [
      ['id', colors.bold(project.id)],
      ['name', project.name],
      ['status', state(colors, project.status)],
      ['owner', project.owner ?? '-'],
      ['created', when(project.created_at)],
      ['updated', `${when(project.updated_at)} (version ${project.version})`],
      ['description', project.description ?? '-'],
      ...extra,
    ],
    colors,
  );
}

/** `12 tasks: 3 pending, 2 in progress, 1 blocked, 5 completed, 1 cancelled; 45% done`. */
export function summaryLine(summary: ProjectSummary): string {
  const { by_status: counts } = summary;
  const parts = [
    `${counts.pending} pending`,
    `${counts.in_progress} in progress`,
    `${counts.blocked} blocked`,
    `${counts.completed} completed`,
    `${counts.cancelled} cancelled`,
  ];
  return `${summary.total} task${summary.total === 1 ? '' : 's'}: ${parts.join(', ')}; ${Math.round(summary.completion_rate * 100)}% done`;
}

/** `low 2, medium 5, high 4, critical 1`. */
export function priorityLine(summary: ProjectSummary): string {
  const { by_priority: counts } = summary;
  return `low ${counts.low}, medium ${counts.medium}, high ${counts.high}, critical ${counts.critical}`;
}

/** `project show --include-tasks`: the details with the counts, then the tasks. */
export function projectWithTasksText(result: ProjectWithTasks, colors: Colors, tty: boolean): string {
  const head = projectDetails(result.project, colors, timeFormat(tty), [
    ['tasks', summaryLine(result.summary)],
    ['priorities', priorityLine(result.summary)],
  ]);
  if (result.tasks.length === 0) return `${head}\n\nNo tasks in this project.`;
  return `${head}\n\n${taskTable(result.tasks, colors, tty)}`;
}
