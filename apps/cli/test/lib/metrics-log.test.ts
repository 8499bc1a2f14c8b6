import { describe, expect, it } from 'vitest';
import { operationName } from '../../src/lib/metrics-log.js';

describe('operationName', () => {
  it.each([
    ['listTasks', 'listTasks'],
    ['GET /api/v1/tasks/TASK-000021', 'GET /api/v1/tasks/{id}'],
    ['POST /api/v1/sprints/SPR-003/tasks', 'POST /api/v1/sprints/{id}/tasks'],
    ['DELETE /api/v1/sprints/SPR-003/tasks/TASK-000001', 'DELETE /api/v1/sprints/{id}/tasks/{id}'],
    ['GET /api/v1/projects/PRJ-001/summary?x=1', 'GET /api/v1/projects/{id}/summary'],
  ])('%s → %s', (given, want) => {
    expect(operationName(given)).toBe(want);
  });
});
