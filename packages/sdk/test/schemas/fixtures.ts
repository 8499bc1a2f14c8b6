// Valid payloads written out by hand, independent of the spec's examples, so the
// invalid-payload table can change one field at a time.

export const task = {
  id: 'TASK-000123',
  title: 'Write the release notes',
  description: null,
  status: 'in_progress',
  priority: 'high',
  project_id: 'PRJ-001',
  sprint_id: null,
  assignee: 'demo',
  tags: ['docs'],
  due_date: '2026-11-20',
  estimate_hours: 3,
  completed_at: null,
  completion_notes: null,
  created_at: '2026-11-02T09:30:00Z',
  updated_at: '2026-11-03T14:05:12.250+01:00',
  version: 3,
};

export const taskPage = { items: [task, { ...task, id: 'TASK-000124' }], total: 2, limit: 50, offset: 0 };

export const sprint = {
  id: 'SPR-001',
  name: 'Sprint 12',
  project_id: 'PRJ-001',
  goal: null,
  status: 'planned',
  start_date: '2026-11-02',
  end_date: '2026-11-13',
  started_at: null,
  completed_at: null,
  created_at: '2026-10-30T12:00:00Z',
  updated_at: '2026-10-30T12:00:00Z',
  version: 1,
};

export const project = {
  id: 'PRJ-001',
  name: 'Website relaunch',
  description: null,
  status: 'active',
  owner: null,
  created_at: '2026-10-01T08:00:00Z',
  updated_at: '2026-10-01T08:00:00Z',
  version: 1,
};

export const projectSummary = {
  project_id: 'PRJ-001',
  total: 3,
  by_status: { pending: 1, in_progress: 1, blocked: 0, completed: 1, cancelled: 0 },
  by_priority: { low: 0, medium: 2, high: 1, critical: 0 },
  completion_rate: 0.3333,
};

export const historyEntry = {
  id: 1,
  task_id: 'TASK-000123',
  action: 'updated',
  actor: 'demo',
  at: '2026-11-03T14:05:12Z',
  changes: [{ field: 'status', from: 'pending', to: 'in_progress' }],
};

export const burndown = {
  sprint_id: 'SPR-001',
  unit: 'tasks',
  start_date: '2026-11-02',
  end_date: '2026-11-03',
  scope: 2,
  points: [
    { date: '2026-11-02', remaining: 1, ideal: 2, completed: 1 },
    { date: '2026-11-03', remaining: null, ideal: 0, completed: null },
  ],
};

export const health = {
  status: 'ok',
  version: '1.0.0',
  database: { status: 'up', latency_ms: 1.4 },
  uptime_seconds: 10,
};

export const problem = {
  type: 'urn:dtm:problem:validation-failed',
  title: 'Validation failed',
  status: 422,
  errors: [{ field: 'title', message: 'must not be empty' }],
};

export const tokenPair = {
  access_token: 'eyJ.a.b',
  refresh_token: 'rt_1',
  token_type: 'bearer',
  expires_in: 900,
};

export const user = {
  id: 'USR-001',
  username: 'demo',
  display_name: 'Demo User',
  roles: ['member'],
};

/** A copy of `value` without `key`, for "missing required field" cases. */
export function without<T extends object>(value: T, key: keyof T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key));
}
