// Every `--json` error document has code, message and hint, and status and request_id when
// the API answered: also when a command explains the API's answer in its own words. No
// message leads with an operationId (`getTask failed with …`); `operation` stays for scripts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../harness.js';
import { type Api, apiFor, createTask } from './task/support.js';

let box: Sandbox;
let api: Api;
let task: Task;
let cancelled: Task;
beforeAll(async () => {
  box = await sandbox();
  await box.login();
  api = await apiFor(box);
  [task, cancelled] = await Promise.all([createTask(api, { title: 'One' }), createTask(api, { title: 'Two', status: 'cancelled' })]);
});
afterAll(async () => {
  await box.stop();
});

interface Case {
  name: string;
  args: () => string[];
  env?: Record<string, string>;
  want: { code: string; status: number; operation: string; message: RegExp };
}

// The seed: SPR-001 completed, SPR-002 active, SPR-003 planned (all of PRJ-001, which has sprints).
const cases: Case[] = [
  { name: 'sprint start of the active sprint', args: () => ['sprint', 'start', 'SPR-002'], want: { code: 'conflict', status: 409, operation: 'startSprint', message: /^SPR-002 is already active\.$/ } },
  { name: 'sprint start of a completed sprint', args: () => ['sprint', 'start', 'SPR-001'], want: { code: 'conflict', status: 409, operation: 'startSprint', message: /^SPR-001 is completed/ } },
  { name: 'sprint start while another is active', args: () => ['sprint', 'start', 'SPR-003'], want: { code: 'conflict', status: 409, operation: 'startSprint', message: /^Cannot start SPR-003: SPR-002 is active in PRJ-001/ } },
  { name: 'sprint complete of a planned sprint', args: () => ['sprint', 'complete', 'SPR-003'], want: { code: 'conflict', status: 409, operation: 'completeSprint', message: /^Cannot complete SPR-003: / } },
  { name: 'project delete of a project with sprints', args: () => ['project', 'delete', 'PRJ-001', '--yes'], want: { code: 'conflict', status: 409, operation: 'deleteProject', message: /^Cannot delete PRJ-001: / } },
  { name: 'project delete of an unknown project', args: () => ['project', 'delete', 'PRJ-999', '--yes'], want: { code: 'not_found', status: 404, operation: 'deleteProject', message: /^Project PRJ-999 was not found\.$/ } },
  { name: 'project create of a taken name', args: () => ['project', 'create', '--name', 'Mobile app'], want: { code: 'conflict', status: 409, operation: 'createProject', message: /^Cannot create the project: .*already named "Mobile app"/ } },
  { name: 'task show of an unknown id', args: () => ['task', 'show', 'TASK-999999'], want: { code: 'not_found', status: 404, operation: 'getTask', message: /^Task TASK-999999 was not found\.$/ } },
  { name: 'task update of an unknown id', args: () => ['task', 'update', 'TASK-999999', '--title', 'X'], want: { code: 'not_found', status: 404, operation: 'updateTask', message: /^Task TASK-999999 was not found\.$/ } },
  { name: 'task update of a stale version', args: () => ['task', 'update', task.id, '--title', 'X', '--expect-version', '9'], want: { code: 'precondition_failed', status: 412, operation: 'updateTask', message: /has changed since you read it/ } },
  { name: 'task complete of a cancelled task', args: () => ['task', 'complete', cancelled.id], want: { code: 'conflict', status: 409, operation: 'completeTask', message: /^Cannot complete TASK-\d+: TASK-\d+ is cancelled/ } },
  { name: 'task list with a rejected DTM_TOKEN', args: () => ['task', 'list'], env: { DTM_TOKEN: 'not-a-token' }, want: { code: 'auth_required', status: 401, operation: 'listTasks', message: /^The API rejected the token in DTM_TOKEN: / } },
];

describe('--json error documents', () => {
  it.concurrent.each(cases)('$name: code, message, hint, status, request_id (and operation)', async ({ args, env, want }) => {
    const result = await box.run([...args(), '--json'], env === undefined ? {} : { env });
    expect(result.code, result.stdout).toBe(want.code === 'auth_required' ? 4 : 1);
    expect(result.stderr).toBe('');
    const { error } = JSON.parse(result.stdout) as { error: Record<string, unknown> };
    expect(error).toMatchObject({
      code: want.code,
      message: expect.stringMatching(want.message) as unknown,
      hint: expect.stringMatching(/\S/) as unknown,
      status: want.status,
      request_id: expect.stringMatching(/^req_\w+$/) as unknown,
      operation: want.operation,
    });
    // The user's words, not the SDK's call name.
    expect(error.message).not.toMatch(/^[a-z]+[A-Z]\w*\b/);
  });

  it('a usage error has code, message and hint (the API was not asked: no status)', async () => {
    const result = await box.run(['task', 'show', 'TASK-000001', 'TASK-000002', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'usage', message: 'Unexpected argument: TASK-000002', hint: 'See `--help` for the arguments and flags.' },
    });
  });
});
