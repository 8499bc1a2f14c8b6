// The page the benchmark server returns: 100 tasks shaped like the `Task` example in
// openapi.yaml (all 16 fields, nulls where the contract allows them, RFC 3339 UTC times).

const statuses = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'];
const priorities = ['low', 'medium', 'high', 'critical'];
const tagPool = ['docs', 'bug', 'export', 'cli', 'api', 'ux'];
const start = Date.UTC(2026, 10, 2, 9, 30, 0);

const timestamp = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function makeTask(n) {
  const status = statuses[n % statuses.length];
  const created = start + n * 60_000;
  const done = status === 'completed';
  return {
    id: `TASK-${String(n).padStart(6, '0')}`,
    title: `Task number ${n}: write the release notes`,
    description: n % 4 === 0 ? null : 'Cover the new export command.',
    status,
    priority: priorities[n % priorities.length],
    project_id: n % 9 === 0 ? null : `PRJ-${String((n % 7) + 1).padStart(3, '0')}`,
    sprint_id: n % 5 === 0 ? null : `SPR-${String((n % 3) + 1).padStart(3, '0')}`,
    assignee: n % 7 === 0 ? null : 'demo',
    tags: tagPool.slice(n % 4, (n % 4) + (n % 3)),
    due_date: n % 3 === 0 ? null : '2026-11-20',
    estimate_hours: n % 6 === 0 ? null : (n % 12) + 0.5,
    completed_at: done ? timestamp(created + 86_400_000) : null,
    completion_notes: done ? 'Quotes and newlines now round-trip.' : null,
    created_at: timestamp(created),
    updated_at: timestamp(created + 3_600_000),
    version: (n % 5) + 1,
  };
}

export const PAGE_SIZE = 100;

export const page = {
  items: Array.from({ length: PAGE_SIZE }, (_, i) => makeTask(i + 1)),
  total: 1000,
  limit: PAGE_SIZE,
  offset: 0,
};

export const body = JSON.stringify(page);

export const TOKEN = 'bench-token-0123456789abcdef';
