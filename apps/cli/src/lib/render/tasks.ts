import type { Task } from '@dtm/sdk';
import { type Column, details, table } from './table.js';
import { type Colors, priority, status } from './style.js';
import type { When } from './time.js';

export function taskColumns(colors: Colors): Column<Task>[] {
  return [
    { header: 'id', value: (task) => task.id },
    { header: 'title', value: (task) => task.title, max: 48, shrink: 1 },
    { header: 'status', value: (task) => status(colors, task.status) },
    { header: 'priority', value: (task) => priority(colors, task.priority) },
    { header: 'project', value: (task) => task.project_id ?? '', hide: 2 },
    { header: 'sprint', value: (task) => task.sprint_id ?? '', hide: 1 },
    { header: 'assignee', value: (task) => task.assignee ?? '', shrink: 2 },
    { header: 'due', value: (task) => task.due_date ?? '' },
  ];
}

export function taskTable(tasks: readonly Task[], colors: Colors, tty: boolean): string {
  return table(tasks, taskColumns(colors), colors, tty);
}

export function taskDetails(task: Task, colors: Colors, when: When): string {
  return details(
    [
      ['id', colors.bold(task.id)],
      ['title', task.title],
      ['status', status(colors, task.status)],
      ['priority', priority(colors, task.priority)],
      ['project', task.project_id ?? '-'],
      ['sprint', task.sprint_id ?? '-'],
      ['assignee', task.assignee ?? '-'],
      ['tags', task.tags.length > 0 ? task.tags.join(', ') : '-'],
      ['due', task.due_date ?? '-'],
      ['estimate', task.estimate_hours === null ? '-' : `${task.estimate_hours} h`],
      ['completed', task.completed_at === null ? '-' : when(task.completed_at)],
      ['notes', task.completion_notes ?? '-'],
      ['created', when(task.created_at)],
      ['updated', `${when(task.updated_at)} (version ${task.version})`],
      ['description', task.description ?? '-'],
    ],
    colors,
  );
}
