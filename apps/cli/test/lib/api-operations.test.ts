import { describe, expect, it } from 'vitest';
import { apiOperations, checkList, checkOperation, closestOperations } from '../../src/lib/api-operations.js';

const usage = (message: string, hint?: RegExp): Error =>
  expect.objectContaining({ exitCode: 2, message, ...(hint ? { hint: expect.stringMatching(hint) as string } : {}) }) as Error;

describe('checkOperation', () => {
  it.each([
    { method: 'GET', path: '/health', want: '/health' },
    { method: 'GET', path: '/api/v1/tasks', want: '/api/v1/tasks' },
    { method: 'PATCH', path: '/api/v1/tasks/TASK-000001', want: '/api/v1/tasks/{task_id}' },
    { method: 'POST', path: '/api/v1/tasks/bulk', want: '/api/v1/tasks/bulk' },
    // A literal segment wins, but a method only the parameter's path has still matches it.
    { method: 'GET', path: '/api/v1/tasks/bulk', want: '/api/v1/tasks/{task_id}' },
    { method: 'GET', path: '/api/v1/tasks/export', want: '/api/v1/tasks/export' },
    { method: 'DELETE', path: '/api/v1/sprints/SPR-001/tasks/TASK-000001', want: '/api/v1/sprints/{sprint_id}/tasks/{task_id}' },
  ] as const)('$method $path → $want', ({ method, path, want }) => {
    expect(checkOperation(method, path)).toBe(want);
  });

  it.each([
    { method: 'GET', path: '/api/v1/nosuch', message: 'GET /api/v1/nosuch is not an operation of the DTM API.', hint: /Closest: \/api\/v1\/tasks \(GET, POST\)/ },
    { method: 'GET', path: '/api/v1/taks', message: 'GET /api/v1/taks is not an operation of the DTM API.', hint: /^Closest: \/api\/v1\/tasks \(GET, POST\)\. / },
    { method: 'GET', path: '/api/v1/tasks/', message: 'GET /api/v1/tasks/ is not an operation of the DTM API.', hint: /^Closest: \/api\/v1\/tasks \(GET, POST\)\. / },
    { method: 'GET', path: '/api/v1/tasks//history', message: 'GET /api/v1/tasks//history is not an operation of the DTM API.' },
    { method: 'GET', path: '/nothing', message: 'GET /nothing is not an operation of the DTM API.', hint: /--unchecked/ },
    { method: 'PUT', path: '/api/v1/tasks/TASK-000001', message: 'PUT is not a method of /api/v1/tasks/{task_id} (GET, PATCH, DELETE).' },
    { method: 'DELETE', path: '/api/v1/tasks', message: 'DELETE is not a method of /api/v1/tasks (GET, POST).' },
    { method: 'PUT', path: '/api/v1/tasks/bulk', message: 'PUT is not a method of /api/v1/tasks/bulk (POST).' },
  ] as const)('$method $path: a usage error', ({ method, path, message, ...rest }) => {
    expect(() => checkOperation(method, path)).toThrow(usage(message, 'hint' in rest ? rest.hint : undefined));
  });
});

describe('closestOperations', () => {
  it.each([
    { path: '/api/v1/sprint', want: ['/api/v1/sprints (GET, POST)'] },
    { path: '/api/v1/tasks/TASK-1/histroy', want: ['/api/v1/tasks/{task_id}/history (GET)'] },
    { path: '/auth/logn', want: ['/auth/login (POST)'] },
    { path: '/zzzzzzzz', want: [] },
  ])('$path → $want', ({ path, want }) => {
    expect(closestOperations(path)).toEqual(want);
  });

  it('names every operation it suggests from the table', () => {
    const templates = Object.keys(apiOperations);
    for (const suggestion of closestOperations('/api/v1/x')) expect(templates).toContain(suggestion.split(' ')[0]);
  });
});

describe('checkList (--paginate)', () => {
  it.each(['/api/v1/tasks', '/api/v1/tasks/{task_id}/history', '/api/v1/projects', '/api/v1/sprints'])('%s is a list', (template) => {
    expect(() => { checkList(template, 'GET', template); }).not.toThrow();
  });

  it.each(['/health', '/api/v1/tasks/export', '/api/v1/tasks/{task_id}', '/api/v1/changes'])('%s is none: a usage error', (template) => {
    expect(() => { checkList(template, 'GET', template); }).toThrow(usage(`--paginate: GET ${template} does not answer with a page of a list.`));
  });
});
