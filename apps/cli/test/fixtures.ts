import type { Task } from '@dtm/sdk';

/** A task as the API returns one, with every field at its default unless `changes` says otherwise. */
export function makeTask(id: string, changes: Partial<Task> = {}): Task {
  return {
    id,
    title: `Task ${id}`,
    description: null,
    status: 'pending',
    priority: 'medium',
    project_id: null,
    sprint_id: null,
    assignee: null,
    tags: [],
    due_date: null,
    estimate_hours: null,
    completed_at: null,
    completion_notes: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
    ...changes,
  };
}
