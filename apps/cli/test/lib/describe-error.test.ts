// describeError: what the user sees of any error. Real SDK error classes, built as the SDK
// builds them for an answer, so the shapes cannot drift from the SDK's.
import { describe, expect, it } from 'vitest';
import { ConflictError, ConnectionError, type ErrorContext, NotFoundError, PreconditionFailedError, ServerError } from '@dtm/sdk';
import { describeError } from '../../src/lib/describe-error.js';
import { CliError } from '../../src/lib/errors.js';

const context = (operation: string, path: string): ErrorContext => ({ operation, method: 'GET', url: `http://127.0.0.1:8000${path}`, requestId: 'req_sent' });
const problem = (status: number, title: string, detail: string) => ({ type: 'urn:dtm:problem:x', title, status, detail, request_id: 'req_1' });
const notFound = (operation: string, path: string): NotFoundError =>
  new NotFoundError(404, problem(404, 'Not Found', 'No record with that id.'), new Headers(), context(operation, path), 'Check the id; the resource may have been deleted');
const conflict = (operation: string, path: string, detail: string): ConflictError =>
  new ConflictError(409, problem(409, 'Conflict', detail), new Headers(), context(operation, path), 'Fetch the current state and try again');

describe('describeError', () => {
  const cases: [string, { given: unknown; env?: NodeJS.ProcessEnv; want: { message: string | RegExp; hint: string | RegExp } }][] = [
    ['a 404 of getTask names the task', { given: notFound('getTask', '/api/v1/tasks/TASK-000999'), want: { message: 'Task TASK-000999 was not found.', hint: /^`dtm task list` shows the tasks/ } }],
    ['a 404 of completeTask too', { given: notFound('completeTask', '/api/v1/tasks/TASK-000999/complete'), want: { message: 'Task TASK-000999 was not found.', hint: /dtm task list/ } }],
    ['a 404 of deleteProject names the project', { given: notFound('deleteProject', '/api/v1/projects/PRJ-999'), want: { message: 'Project PRJ-999 was not found.', hint: /dtm project list/ } }],
    ['a 404 of updateSprint names the sprint', { given: notFound('updateSprint', '/api/v1/sprints/SPR-999'), want: { message: 'Sprint SPR-999 was not found.', hint: /dtm sprint list/ } }],
    [
      'a 404 of assignSprintTasks is about the tasks in the body: the server says which',
      { given: notFound('assignSprintTasks', '/api/v1/sprints/SPR-001/tasks'), want: { message: 'Cannot add tasks to SPR-001: No record with that id.', hint: 'Check the id; the resource may have been deleted.' } },
    ],
    [
      'a taken project name says so, and how to go on',
      {
        given: conflict('createProject', '/api/v1/projects', 'PRJ-002 is already named "Mobile app"; project names are unique.'),
        want: { message: 'Cannot create the project: PRJ-002 is already named "Mobile app"; project names are unique.', hint: /^Project names are unique: choose another name \(`dtm project list`/ },
      },
    ],
    [
      'a 412 of a project',
      {
        given: new PreconditionFailedError(412, problem(412, 'Precondition Failed', 'stale'), new Headers(), context('updateProject', '/api/v1/projects/PRJ-001'), 'x'),
        want: { message: 'Project PRJ-001 has changed since it was read; nothing was changed.', hint: 'Read it again with `dtm project show PRJ-001`, then run the command again.' },
      },
    ],
    [
      'a 5xx keeps the request id in the message, to report it',
      {
        given: new ServerError(503, problem(503, 'Service Unavailable', 'Down for maintenance.'), new Headers(), context('listTasks', '/api/v1/tasks'), 'The server failed; retry later, and report the request id if it persists'),
        want: { message: 'Cannot list the tasks: the server failed (503 Service Unavailable): Down for maintenance. (request req_1)', hint: 'The server failed; retry later, and report the request id if it persists.' },
      },
    ],
    [
      'an unreachable server, without the operation in front',
      { given: new ConnectionError(context('listTasks', '/api/v1/tasks'), Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), want: { message: 'Cannot reach the DTM API at http://127.0.0.1:8000 (ECONNREFUSED)', hint: 'Check that the server is running and that the base URL is right.' } },
    ],
    [
      '`dtm api` requests keep the SDK words: the user typed the request',
      { given: notFound('GET /api/v1/nothing', '/api/v1/nothing'), want: { message: /^GET \/api\/v1\/nothing failed with 404 Not Found: /, hint: 'Check the id; the resource may have been deleted.' } },
    ],
    ['a CliError without a hint gets one', { given: new CliError('Something broke.'), want: { message: 'Something broke.', hint: 'Run again with --debug for details.' } }],
    ['a cancelled prompt says nothing changed', { given: new CliError('Not deleted.', { code: 'cancelled' }), want: { message: 'Not deleted.', hint: 'Nothing was changed; run the command again to go ahead.' } }],
  ];

  it.each(cases)('%s', (_, { given, env, want }) => {
    const described = describeError(given, env ?? {});
    expect(described.message).toMatch(want.message);
    // The --json document always has a hint; on a terminal a CliError may go without one.
    expect(described.json.hint).toMatch(want.hint);
    expect(described.json.message).toBe(described.message);
    if (!(given instanceof CliError)) expect(described.hint).toBe(described.json.hint);
  });

  it('a rejected 401 blames DTM_TOKEN when it is set (and never shows it), else says to log in', async () => {
    const { AuthenticationError } = await import('@dtm/sdk');
    const rejected = new AuthenticationError(401, problem(401, 'Unauthorized', 'The access token is not valid.'), new Headers(), context('listTasks', '/api/v1/tasks'), 'Log in again');
    const withToken = describeError(rejected, { DTM_TOKEN: 'secret-token-value' });
    expect(withToken.message).toBe('The API rejected the token in DTM_TOKEN: The access token is not valid.');
    expect(withToken.hint).toBe('DTM_TOKEN is expired or invalid: unset it to use the login of `dtm auth login`, or set it to a valid token.');
    expect(JSON.stringify(withToken)).not.toContain('secret-token-value');
    expect(withToken.exitCode).toBe(4);
    const withoutToken = describeError(rejected, {});
    expect(withoutToken.message).toBe('Cannot list the tasks: The access token is not valid.');
    expect(withoutToken.hint).toBe('Run `dtm auth login` (or set DTM_TOKEN), then try again.');
  });

  it('a CliError that explains an API answer keeps its status, request id and operation', () => {
    const cause = conflict('deleteProject', '/api/v1/projects/PRJ-001', 'PRJ-001 still has tasks.');
    const described = describeError(new CliError('Cannot delete PRJ-001: PRJ-001 still has tasks.', { code: 'conflict', hint: 'Move them.', cause }));
    expect(described.json).toEqual({
      code: 'conflict',
      message: 'Cannot delete PRJ-001: PRJ-001 still has tasks.',
      hint: 'Move them.',
      status: 409,
      request_id: 'req_1',
      operation: 'deleteProject',
    });
  });
});
