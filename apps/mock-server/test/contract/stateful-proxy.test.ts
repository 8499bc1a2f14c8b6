// The stateful mock, checked against openapi.yaml by Prism in proxy mode: every request goes
// through `prism proxy --errors`, which validates the request, forwards it to the mock, and
// validates the mock's answer (status, headers, media type, body) against the contract.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContractOperation, loadContract } from '../../src/contract/operations.js';
import { type RunningPrism, startPrism } from '../../src/engines/prism.js';
import { type RunningMockServer, startMockServer } from '../../src/engines/stateful/server.js';
import type {
  Burndown,
  BulkResponse,
  ChangePage,
  Health,
  Page,
  Problem,
  Project,
  ProjectSummary,
  Sprint,
  Task,
  TaskHistoryEntry,
  TokenPair,
  User,
} from '../../src/engines/stateful/types.js';

interface Violation {
  location: string[];
  severity?: string;
  code: string | number;
  message: string;
}

type QueryValue = string | number | (string | number)[];

interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Bearer token; `null` sends none. Secured operations default to the admin's access token. */
  token?: string | null;
  /** Send straight to the mock, bypassing Prism (nothing is checked, nothing counts as exercised). */
  direct?: boolean;
}

interface Result {
  readonly operationId: string;
  readonly status: number;
  readonly headers: Headers;
  /** The response's media type without parameters, lower case. */
  readonly mediaType: string | undefined;
  readonly violations: Violation[];
  readonly text: string;
  /** The parsed body for JSON media types. */
  readonly body: unknown;
  /** The X-Request-Id this request was sent with. */
  readonly requestId: string;
}

const operations = loadContract();
const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
/** Operations that got their declared success status from the mock, with no violation. */
const exercised = new Set<string>();

const adminPassword = randomBytes(18).toString('base64url');
const viewerPassword = randomBytes(18).toString('base64url');
/** Marks what this test creates, so filters find exactly that. */
const marker = `probe${randomBytes(4).toString('hex')}`;

let server: RunningMockServer | undefined;
let prism: RunningPrism | undefined;
let accessToken: string | undefined;
let requests = 0;

beforeAll(async () => {
  server = await startMockServer({
    port: 0,
    users: [
      { username: 'contract', password: adminPassword, roles: ['admin'] },
      { username: 'reader', password: viewerPassword, roles: ['viewer'] },
    ],
    tasks: 50,
  });
  prism = await startPrism({ mode: 'proxy', upstream: server.url, errors: true });
});

afterAll(async () => {
  try {
    await prism?.stop();
  } finally {
    await server?.stop();
  }
});

function operationOf(operationId: string): ContractOperation {
  const operation = byId.get(operationId);
  if (!operation) throw new Error(`openapi.yaml has no operation ${operationId}`);
  return operation;
}

function successStatusOf(operation: ContractOperation): string {
  const statuses = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
  const [status] = statuses;
  if (status === undefined || statuses.length > 1) {
    throw new Error(`${operation.operationId} declares ${statuses.length} success statuses; expected one`);
  }
  return status;
}

function mediaTypeOf(contentType: string | null): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** Accepts what the operation's success response declares, and problems. */
function acceptFor(operation: ContractOperation): string {
  const declared = Object.keys(operation.responses[successStatusOf(operation)]?.content ?? {});
  return [...declared, 'application/problem+json'].join(', ');
}

/** Sends one operation of the contract through Prism (or straight to the mock); method and path come from openapi.yaml. */
async function call(operationId: string, options: CallOptions = {}): Promise<Result> {
  const base = options.direct === true ? server?.url : prism?.url;
  if (base === undefined) throw new Error('the mock or Prism is not running');
  const operation = operationOf(operationId);
  const params = options.params ?? {};
  const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operationId}: path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {})) {
    const parameter = operation.parameters.find((candidate) => candidate.in === 'query' && candidate.name === name);
    if (!parameter) throw new Error(`${operationId} has no query parameter ${name}`);
    if (!Array.isArray(value)) search.append(name, String(value));
    else if (parameter.explode) for (const item of value) search.append(name, String(item));
    else search.append(name, value.map(String).join(','));
  }

  requests += 1;
  const requestId = `contract-${requests}`;
  const headers: Record<string, string> = { accept: acceptFor(operation), 'x-request-id': requestId };
  const token = options.token === undefined ? (operation.secured ? accessToken : undefined) : options.token;
  if (token !== undefined && token !== null) headers.authorization = `Bearer ${token}`;
  const init: RequestInit = { method: operation.method, headers };
  if (options.body !== undefined) {
    headers['content-type'] = operation.requestBody?.mediaType ?? 'application/json';
    init.body = JSON.stringify(options.body);
  }
  Object.assign(headers, options.headers);

  const query = search.size > 0 ? `?${search.toString()}` : '';
  const response = await fetch(`${base}${path}${query}`, init);
  const text = await response.text();
  const mediaType = mediaTypeOf(response.headers.get('content-type'));
  const violationsHeader = response.headers.get('sl-violations');
  const violations = violationsHeader ? (JSON.parse(violationsHeader) as Violation[]) : [];
  const isJson = mediaType === 'application/json' || mediaType?.endsWith('+json') === true;
  const body: unknown = isJson && text !== '' ? JSON.parse(text) : undefined;
  if (options.direct !== true && String(response.status) === successStatusOf(operation) && violations.length === 0) {
    exercised.add(operationId);
  }
  return { operationId, status: response.status, headers: response.headers, mediaType, violations, text, body, requestId };
}

function describeResult(result: Result): string {
  return `${result.operationId} answered ${result.status} ${result.mediaType ?? '(no body)'}: ${result.text.slice(0, 2000)}`;
}

/** The operation's declared success: status, no violation, declared media type and headers. */
function expectSuccess(result: Result, mediaType?: string): void {
  const operation = operationOf(result.operationId);
  const status = successStatusOf(operation);
  expect(result.violations, describeResult(result)).toEqual([]);
  expect(String(result.status), describeResult(result)).toBe(status);
  const declared = operation.responses[status];
  const mediaTypes = Object.keys(declared?.content ?? {});
  if (mediaTypes.length === 0) {
    expect(result.text).toBe('');
  } else {
    expect(mediaTypes).toContain(result.mediaType);
    if (mediaType !== undefined) expect(result.mediaType).toBe(mediaType);
  }
  for (const header of declared?.headers ?? []) expect(result.headers.get(header), `${result.operationId}: ${header}`).not.toBeNull();
}

/** A problem the mock itself answered (it echoes our request id), with a status the operation declares. */
function expectProblem(result: Result, status: number): Problem {
  const operation = operationOf(result.operationId);
  expect(Object.keys(operation.responses), `${result.operationId} declares ${status}`).toContain(String(status));
  expect(result.violations, describeResult(result)).toEqual([]);
  expect(result.status, describeResult(result)).toBe(status);
  expect(result.mediaType).toBe('application/problem+json');
  expect(Object.keys(operation.responses[String(status)]?.content ?? {})).toContain('application/problem+json');
  const problem = result.body as Problem;
  expect(problem.status).toBe(status);
  expect(problem.request_id).toBe(result.requestId);
  expect(result.headers.get('x-request-id')).toBe(result.requestId);
  return problem;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not there: an earlier step failed`);
  return value;
}

const isoDate = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function login(username: string, password: string): Promise<TokenPair> {
  const result = await call('login', { body: { username, password } });
  expectSuccess(result, 'application/json');
  return result.body as TokenPair;
}

async function etagOf(operationId: 'getTask' | 'getProject' | 'getSprint', params: Record<string, string>): Promise<string> {
  const result = await call(operationId, { params });
  expectSuccess(result);
  return need(result.headers.get('etag') ?? undefined, `${operationId} ETag`);
}

// What the success scenario creates, for the steps after it.
const created: {
  project?: Project;
  emptyProject?: Project;
  sprint?: Sprint;
  tasks: Task[];
  bulkTask?: Task;
  cancelledTask?: Task;
} = { tasks: [] };
const task = (index: number): Task => need(created.tasks[index], `task ${index}`);

describe('the stateful mock through Prism (proxy, --errors): every operation succeeds as declared', () => {
  it('getHealth: reports the server up without a token', async () => {
    const result = await call('getHealth', { token: null });
    expectSuccess(result, 'application/json');
    expect((result.body as Health).status).toBe('ok');
  });

  it('login: exchanges the password for tokens', async () => {
    const tokens = await login('contract', adminPassword);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBeGreaterThan(0);
    accessToken = tokens.access_token;
  });

  it('getCurrentUser: shows the user the token belongs to', async () => {
    const result = await call('getCurrentUser');
    expectSuccess(result, 'application/json');
    expect(result.body).toMatchObject({ username: 'contract', roles: ['admin'] } satisfies Partial<User>);
  });

  it('createProject: creates a project once per Idempotency-Key', async () => {
    const key = randomUUID();
    const body = { name: `Contract ${marker}`, description: `Made by the ${marker} contract test`, owner: 'contract' };
    const result = await call('createProject', { body, headers: { 'idempotency-key': key } });
    expectSuccess(result, 'application/json');
    const project = result.body as Project;
    expect(project).toMatchObject({ name: body.name, status: 'active', version: 1 });
    expect(result.headers.get('location')).toBe(`/api/v1/projects/${project.id}`);
    expect(result.headers.get('etag')).toBe('"1"');
    created.project = project;

    const replay = await call('createProject', { body, headers: { 'idempotency-key': key } });
    expectSuccess(replay, 'application/json');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((replay.body as Project).id).toBe(project.id);
  });

  it('getProject, updateProject: reads a project and changes it under If-Match', async () => {
    const project = need(created.project, 'project');
    const read = await call('getProject', { params: { project_id: project.id } });
    expectSuccess(read, 'application/json');
    expect(read.body).toEqual(project);

    const etag = need(read.headers.get('etag') ?? undefined, 'ETag');
    const update = await call('updateProject', {
      params: { project_id: project.id },
      headers: { 'if-match': etag },
      body: { description: `Changed by ${marker}` },
    });
    expectSuccess(update, 'application/json');
    expect(update.body).toMatchObject({ id: project.id, description: `Changed by ${marker}`, version: 2 });
    expect(update.headers.get('etag')).toBe('"2"');
  });

  it('listProjects: filters by status and text, one page at a time', async () => {
    const project = need(created.project, 'project');
    const result = await call('listProjects', { query: { status: 'active', q: marker, limit: 10, offset: 0 } });
    expectSuccess(result, 'application/json');
    const page = result.body as Page<Project>;
    expect(page).toMatchObject({ total: 1, limit: 10, offset: 0 });
    expect(page.items.map((item) => item.id)).toEqual([project.id]);
  });

  it('createSprint, getSprint, updateSprint: plans a sprint in the project', async () => {
    const project = need(created.project, 'project');
    const body = { name: `Sprint ${marker}`, project_id: project.id, goal: 'Cover the contract', start_date: isoDate(-2), end_date: isoDate(11) };
    const result = await call('createSprint', { body, headers: { 'idempotency-key': randomUUID() } });
    expectSuccess(result, 'application/json');
    const sprint = result.body as Sprint;
    expect(sprint).toMatchObject({ ...body, status: 'planned', version: 1 });
    expect(result.headers.get('location')).toBe(`/api/v1/sprints/${sprint.id}`);

    const read = await call('getSprint', { params: { sprint_id: sprint.id } });
    expectSuccess(read, 'application/json');
    expect(read.body).toEqual(sprint);

    const update = await call('updateSprint', {
      params: { sprint_id: sprint.id },
      headers: { 'if-match': need(read.headers.get('etag') ?? undefined, 'ETag') },
      body: { goal: 'Cover every operation' },
    });
    expectSuccess(update, 'application/json');
    expect(update.body).toMatchObject({ id: sprint.id, goal: 'Cover every operation', version: 2 });
    created.sprint = update.body as Sprint;
  });

  it('listSprints: filters by status and project', async () => {
    const project = need(created.project, 'project');
    const sprint = need(created.sprint, 'sprint');
    const result = await call('listSprints', { query: { status: 'planned', project_id: project.id, limit: 10, offset: 0 } });
    expectSuccess(result, 'application/json');
    const page = result.body as Page<Sprint>;
    expect(page.total).toBe(1);
    expect(page.items.map((item) => item.id)).toEqual([sprint.id]);
  });

  it('createTask: creates tasks in the project', async () => {
    const project = need(created.project, 'project');
    const inputs = [
      { title: `Write the ${marker} notes`, priority: 'high', tags: ['docs'], assignee: 'contract', due_date: isoDate(5), estimate_hours: 3 },
      { title: `Fix the ${marker} bug`, priority: 'critical', status: 'in_progress' },
      { title: `Plan the ${marker} review`, priority: 'low', description: null },
      { title: `Unblock the ${marker} build`, priority: 'high', status: 'blocked' },
      { title: `Drop the ${marker} idea`, priority: 'medium', status: 'cancelled' },
    ];
    for (const input of inputs) {
      const result = await call('createTask', {
        body: { ...input, project_id: project.id },
        headers: { 'idempotency-key': randomUUID() },
      });
      expectSuccess(result, 'application/json');
      const task = result.body as Task;
      expect(task).toMatchObject({ ...input, project_id: project.id, version: 1 });
      expect(result.headers.get('location')).toBe(`/api/v1/tasks/${task.id}`);
      expect(result.headers.get('etag')).toBe('"1"');
      created.tasks.push(task);
    }
    created.cancelledTask = created.tasks.pop();
  });

  it('getTask, updateTask: reads a task and changes it under If-Match', async () => {
    const first = task(0);
    const read = await call('getTask', { params: { task_id: first.id } });
    expectSuccess(read, 'application/json');
    expect(read.body).toEqual(first);

    const update = await call('updateTask', {
      params: { task_id: first.id },
      headers: { 'if-match': need(read.headers.get('etag') ?? undefined, 'ETag') },
      body: { status: 'in_progress', description: 'Started' },
    });
    expectSuccess(update, 'application/json');
    expect(update.body).toMatchObject({ id: first.id, status: 'in_progress', description: 'Started', version: 2 });
    expect(update.headers.get('etag')).toBe('"2"');
    created.tasks[0] = update.body as Task;
  });

  it('completeTask: completes an open task with notes', async () => {
    const second = task(1);
    const result = await call('completeTask', {
      params: { task_id: second.id },
      headers: { 'idempotency-key': randomUUID(), 'if-match': '"1"' },
      body: { completion_notes: 'Fixed and verified.' },
    });
    expectSuccess(result, 'application/json');
    const completed = result.body as Task;
    expect(completed).toMatchObject({ id: second.id, status: 'completed', completion_notes: 'Fixed and verified.', version: 2 });
    expect(completed.completed_at).not.toBeNull();
    created.tasks[1] = completed;
  });

  it('getTaskHistory: lists the changes of a task, oldest first', async () => {
    const first = task(0);
    const result = await call('getTaskHistory', { params: { task_id: first.id }, query: { limit: 10, offset: 0 } });
    expectSuccess(result, 'application/json');
    const page = result.body as Page<TaskHistoryEntry>;
    expect(page.total).toBe(2);
    expect(page.items.map((entry) => entry.action)).toEqual(['created', 'updated']);
    expect(page.items.every((entry) => entry.actor === 'contract' && entry.task_id === first.id)).toBe(true);
  });

  it('listTasks: combines status (comma-separated), priority, project, text, sort and paging', async () => {
    const project = need(created.project, 'project');
    const query = {
      status: ['in_progress', 'completed'],
      priority: ['high', 'critical'],
      project_id: project.id,
      q: marker,
      sort: '-priority',
      limit: 1,
    };
    // Matching: task 0 (in_progress, high) and task 1 (completed, critical); -priority puts critical first.
    const first = await call('listTasks', { query: { ...query, offset: 0 } });
    expectSuccess(first, 'application/json');
    expect(first.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect((first.body as Page<Task>).items.map((item) => item.id)).toEqual([task(1).id]);

    const second = await call('listTasks', { query: { ...query, offset: 1 } });
    expectSuccess(second, 'application/json');
    expect(second.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect((second.body as Page<Task>).items.map((item) => item.id)).toEqual([task(0).id]);
  });

  it('exportTasks: streams the matching tasks as NDJSON', async () => {
    const project = need(created.project, 'project');
    const result = await call('exportTasks', {
      query: { format: 'ndjson', project_id: project.id, q: marker, sort: 'id' },
      headers: { accept: 'application/x-ndjson, application/problem+json' },
    });
    expectSuccess(result, 'application/x-ndjson');
    expect(result.text.endsWith('\n')).toBe(true);
    const lines = result.text.trimEnd().split('\n');
    const tasks = lines.map((line) => JSON.parse(line) as Task);
    const expected = [...created.tasks.map((item) => item.id), need(created.cancelledTask, 'cancelled task').id];
    expect(tasks.map((item) => item.id)).toEqual(expected);
  });

  it('exportTasks: streams the matching tasks as CSV', async () => {
    const project = need(created.project, 'project');
    const result = await call('exportTasks', {
      query: { format: 'csv', project_id: project.id, status: ['completed'] },
      headers: { accept: 'text/csv, application/problem+json' },
    });
    expectSuccess(result, 'text/csv');
    const [header, ...rows] = result.text.trimEnd().split(/\r?\n/);
    expect(header).toBe(
      'id,title,description,status,priority,project_id,sprint_id,assignee,tags,due_date,estimate_hours,completed_at,completion_notes,created_at,updated_at,version',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.startsWith(`${task(1).id},Fix the ${marker} bug,,completed,critical,${project.id},`)).toBe(true);
  });

  it('bulkTasks: creates, updates and deletes in one request', async () => {
    const project = need(created.project, 'project');
    const third = task(2);
    const fourth = task(3);
    const result = await call('bulkTasks', {
      headers: { 'idempotency-key': randomUUID() },
      body: {
        operations: [
          { op: 'create', data: { title: `Bulk ${marker} task`, project_id: project.id, tags: ['bulk'] } },
          { op: 'update', id: third.id, if_match: `"${third.version}"`, data: { priority: 'medium' } },
          { op: 'delete', id: fourth.id },
        ],
      },
    });
    expectSuccess(result, 'application/json');
    const bulk = result.body as BulkResponse;
    expect(bulk).toMatchObject({ succeeded: 3, failed: 0 });
    expect(bulk.results.map((entry) => [entry.index, entry.op, entry.status])).toEqual([
      [0, 'create', 201],
      [1, 'update', 200],
      [2, 'delete', 204],
    ]);
    expect(bulk.results[1]?.task).toMatchObject({ id: third.id, priority: 'medium', version: third.version + 1 });
    created.bulkTask = need(bulk.results[0]?.task, 'bulk-created task');
    created.tasks[2] = need(bulk.results[1]?.task, 'bulk-updated task');
    created.tasks.splice(3, 1);

    const gone = await call('getTask', { params: { task_id: fourth.id } });
    expectProblem(gone, 404);
  });

  it('getProjectSummary: counts the project tasks by status and priority', async () => {
    const project = need(created.project, 'project');
    const result = await call('getProjectSummary', { params: { project_id: project.id } });
    expectSuccess(result, 'application/json');
    // Tasks 0 (in_progress, high), 1 (completed, critical), 2 (pending, medium), the bulk one (pending, medium),
    // and the cancelled one (cancelled, medium).
    expect(result.body).toEqual({
      project_id: project.id,
      total: 5,
      by_status: { pending: 2, in_progress: 1, blocked: 0, completed: 1, cancelled: 1 },
      by_priority: { low: 0, medium: 3, high: 1, critical: 1 },
      completion_rate: 0.25,
    } satisfies ProjectSummary);
  });

  it('assignSprintTasks, unassignSprintTask: moves tasks into and out of the sprint', async () => {
    const sprint = need(created.sprint, 'sprint');
    const ids = [task(0).id, task(2).id];
    const assign = await call('assignSprintTasks', {
      params: { sprint_id: sprint.id },
      headers: { 'idempotency-key': randomUUID() },
      body: { task_ids: ids },
    });
    expectSuccess(assign, 'application/json');
    expect(assign.body).toEqual({ sprint_id: sprint.id, task_ids: ids });

    const unassign = await call('unassignSprintTask', { params: { sprint_id: sprint.id, task_id: task(2).id } });
    expectSuccess(unassign);
    const read = await call('getTask', { params: { task_id: task(2).id } });
    expectSuccess(read);
    expect((read.body as Task).sprint_id).toBeNull();
  });

  it('startSprint, getSprintBurndown, completeSprint: runs the sprint', async () => {
    const sprint = need(created.sprint, 'sprint');
    const start = await call('startSprint', { params: { sprint_id: sprint.id }, headers: { 'idempotency-key': randomUUID() } });
    expectSuccess(start, 'application/json');
    expect(start.body).toMatchObject({ id: sprint.id, status: 'active' });
    expect((start.body as Sprint).started_at).not.toBeNull();

    const burndown = await call('getSprintBurndown', { params: { sprint_id: sprint.id } });
    expectSuccess(burndown, 'application/json');
    const series = burndown.body as Burndown;
    expect(series).toMatchObject({ sprint_id: sprint.id, unit: 'tasks', start_date: sprint.start_date, end_date: sprint.end_date, scope: 1 });
    expect(series.points).toHaveLength(14);
    expect(series.points[0]).toMatchObject({ date: sprint.start_date, remaining: 1, completed: 0 });
    expect(series.points.at(-1)).toMatchObject({ date: sprint.end_date, remaining: null, ideal: 0, completed: null });

    const complete = await call('completeSprint', { params: { sprint_id: sprint.id }, headers: { 'idempotency-key': randomUUID() } });
    expectSuccess(complete, 'application/json');
    expect(complete.body).toMatchObject({ id: sprint.id, status: 'completed' });
    created.sprint = complete.body as Sprint;
  });

  it('listChanges: pages through the feed, then resumes after its cursor with what changed, tombstones included', async () => {
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const result = await call('listChanges', { query: { ...(cursor === undefined ? {} : { cursor }), limit: 1000 } });
      expectSuccess(result, 'application/json');
      const page = result.body as ChangePage;
      cursor = page.next_cursor;
      pages += 1;
      if (!page.has_more) break;
    }
    expect(pages).toBeGreaterThan(0);

    const doomed = await call('createTask', { body: { title: `Feed ${marker}` } });
    expectSuccess(doomed);
    const doomedTask = doomed.body as Task;
    expectSuccess(await call('deleteTask', { params: { task_id: doomedTask.id } }));
    const result = await call('listChanges', { query: { cursor: need(cursor, 'cursor'), limit: 10, wait: 0 } });
    expectSuccess(result, 'application/json');
    expect((result.body as ChangePage).items).toEqual([
      { kind: 'task', id: doomedTask.id, op: 'delete', version: 1, changed_at: expect.any(String) as unknown },
    ]);
  });

  it('getTask, getProject, getSprint: 304 without a body for a current If-None-Match', async () => {
    const cases = [
      ['getTask', { task_id: task(0).id }],
      ['getProject', { project_id: need(created.project, 'project').id }],
      ['getSprint', { sprint_id: need(created.sprint, 'sprint').id }],
    ] as const;
    for (const [operationId, params] of cases) {
      const etag = await etagOf(operationId, params);
      const result = await call(operationId, { params, headers: { 'if-none-match': `W/${etag}` } });
      expect(result.violations, describeResult(result)).toEqual([]);
      expect(result.status, describeResult(result)).toBe(304);
      expect(result.text).toBe('');
      expect(result.headers.get('etag')).toBe(etag);
      const stale = await call(operationId, { params, headers: { 'if-none-match': '"999"' } });
      expectSuccess(stale, 'application/json');
    }
  });

  it('deleteTask: deletes a task under If-Match', async () => {
    const bulkTask = need(created.bulkTask, 'bulk-created task');
    const result = await call('deleteTask', { params: { task_id: bulkTask.id }, headers: { 'if-match': `"${bulkTask.version}"` } });
    expectSuccess(result);
    expectProblem(await call('getTask', { params: { task_id: bulkTask.id } }), 404);
  });

  it('deleteSprint: deletes the sprint; its tasks stay without it', async () => {
    const sprint = need(created.sprint, 'sprint');
    const etag = await etagOf('getSprint', { sprint_id: sprint.id });
    const result = await call('deleteSprint', { params: { sprint_id: sprint.id }, headers: { 'if-match': etag } });
    expectSuccess(result);
    expectProblem(await call('getSprint', { params: { sprint_id: sprint.id } }), 404);
    const read = await call('getTask', { params: { task_id: task(0).id } });
    expectSuccess(read);
    expect((read.body as Task).sprint_id).toBeNull();
  });

  it('deleteProject: deletes a project without tasks or sprints', async () => {
    const made = await call('createProject', { body: { name: `Empty ${marker}` } });
    expectSuccess(made);
    const project = made.body as Project;
    created.emptyProject = project;
    const result = await call('deleteProject', { params: { project_id: project.id }, headers: { 'if-match': '"1"' } });
    expectSuccess(result);
    expectProblem(await call('getProject', { params: { project_id: project.id } }), 404);
  });

  it('refreshToken, logout: rotate the refresh token, then end the session (its own session)', async () => {
    const first = await login('contract', adminPassword);
    const refreshed = await call('refreshToken', { body: { refresh_token: first.refresh_token } });
    expectSuccess(refreshed, 'application/json');
    const second = refreshed.body as TokenPair;
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const me = await call('getCurrentUser', { token: second.access_token });
    expectSuccess(me);

    const logout = await call('logout', { token: second.access_token, body: { refresh_token: second.refresh_token } });
    expectSuccess(logout);

    // The logged-out refresh token is refused. (Whether the access token still works is left open:
    // openapi.yaml says it stays valid until it expires, the mock revokes it with the session.)
    expectProblem(await call('refreshToken', { body: { refresh_token: second.refresh_token } }), 401);
    // The admin's main session is untouched.
    expectSuccess(await call('getCurrentUser'));
  });
});

describe('the stateful mock through Prism (proxy, --errors): declared errors', () => {
  it('401 without a token: Prism refuses it before the mock; the mock alone answers the same', async () => {
    for (const operationId of ['getCurrentUser', 'listTasks', 'createProject']) {
      const options: CallOptions = { token: null, ...(operationId === 'createProject' ? { body: { name: `Anonymous ${marker}` } } : {}) };
      // Prism checks the bearerAuth requirement itself, so this 401 never reaches the mock.
      const proxied = await call(operationId, options);
      expect(proxied.violations).toEqual([]);
      expect(proxied.status).toBe(401);
      expect(proxied.mediaType).toBe('application/problem+json');
      expect(proxied.headers.get('www-authenticate')).toMatch(/^Bearer\b/);

      // The mock's own answer to the same request (not checked by Prism: it cannot get through).
      const direct = await call(operationId, { ...options, direct: true });
      expect(direct.status).toBe(401);
      expect(direct.mediaType).toBe('application/problem+json');
      expect(direct.body).toMatchObject({ title: 'Unauthorized', status: 401, detail: expect.stringMatching(/bearer token/i) as unknown, request_id: direct.requestId });
      expect(direct.headers.get('www-authenticate')).toMatch(/^Bearer realm="dtm", error="invalid_request"/);
    }
  });

  it('401 from the mock for a bearer token that is not a JWT', async () => {
    const result = await call('getCurrentUser', { token: 'not-a-jwt' });
    const problem = expectProblem(result, 401);
    expect(problem.detail).toMatch(/not valid/);
    expect(result.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('401 with a token signed with another key', async () => {
    const claims = decodeJwt(need(accessToken, 'access token'));
    const forged = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(randomBytes(32));
    const result = await call('listTasks', { token: forged });
    const problem = expectProblem(result, 401);
    expect(problem.detail).toMatch(/not valid/);
    expect(result.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('404 for ids that do not exist', async () => {
    const cases = [
      ['getTask', { task_id: 'TASK-999999' }],
      ['getProject', { project_id: 'PRJ-999' }],
      ['getSprint', { sprint_id: 'SPR-999' }],
    ] as const;
    for (const [operationId, params] of cases) {
      const problem = expectProblem(await call(operationId, { params }), 404);
      expect(problem.detail).toContain(Object.values(params)[0]);
    }
  });

  it('412 for updateTask with a stale If-Match, with the current ETag', async () => {
    const first = task(0);
    const current = await etagOf('getTask', { task_id: first.id });
    const result = await call('updateTask', { params: { task_id: first.id }, headers: { 'if-match': '"999"' }, body: { priority: 'low' } });
    expectProblem(result, 412);
    expect(result.headers.get('etag')).toBe(current);
    expect(await etagOf('getTask', { task_id: first.id })).toBe(current);
  });

  it('409 for completeTask on a cancelled task; completing a completed one again is a no-op 200', async () => {
    const completed = task(1);
    const again = await call('completeTask', { params: { task_id: completed.id }, body: { completion_notes: 'Again.' } });
    expectSuccess(again);
    expect(await etagOf('getTask', { task_id: completed.id })).toBe(`"${completed.version}"`);

    const cancelled = need(created.cancelledTask, 'cancelled task');
    const result = await call('completeTask', { params: { task_id: cancelled.id }, body: { completion_notes: 'Too late.' } });
    expect(expectProblem(result, 409).detail).toContain('is cancelled');
  });

  it('409 for deleteProject while it has tasks', async () => {
    const project = need(created.project, 'project');
    const problem = expectProblem(await call('deleteProject', { params: { project_id: project.id } }), 409);
    expect(problem.detail).toContain(project.id);
    expectSuccess(await call('getProject', { params: { project_id: project.id } }));
  });

  it('422 for createTask with a reused Idempotency-Key and a different body', async () => {
    const project = need(created.project, 'project');
    const key = randomUUID();
    const first = await call('createTask', { headers: { 'idempotency-key': key }, body: { title: `Keyed ${marker}`, project_id: project.id } });
    expectSuccess(first);
    const before = need(server, 'server').taskCount();
    const reused = await call('createTask', { headers: { 'idempotency-key': key }, body: { title: `Other ${marker}`, project_id: project.id } });
    const problem = expectProblem(reused, 422);
    expect(problem.detail).toContain(key);
    expect(problem.errors).toEqual([{ field: 'Idempotency-Key', message: 'was already used for a different request' }]);
    expect(need(server, 'server').taskCount()).toBe(before);
  });

  it('422 from the mock for createTask with a project that does not exist', async () => {
    const before = need(server, 'server').taskCount();
    const result = await call('createTask', { body: { title: `Orphan ${marker}`, project_id: 'PRJ-999' } });
    const problem = expectProblem(result, 422);
    expect(problem.errors).toEqual([{ field: 'project_id', message: expect.stringContaining('PRJ-999') as unknown }]);
    expect(need(server, 'server').taskCount()).toBe(before);
  });

  it.each(operations.filter((operation) => operation.requestBody).map((operation) => operation.operationId))(
    '415 from the mock for %s with a text/plain body, as the operation declares',
    async (operationId) => {
      const operation = operationOf(operationId);
      const params = Object.fromEntries(operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, 'X-1']));
      const result = await call(operationId, { params, body: 'x', headers: { 'content-type': 'text/plain' }, direct: true });
      expect(expectProblem(result, 415).detail).toContain('application/json');
    },
  );

  it('413 from the mock for createTask with a body over 10 MB, as the operation declares', async () => {
    const result = await call('createTask', { body: { title: 'x', description: 'a'.repeat(11 * 1024 * 1024) }, direct: true });
    expectProblem(result, 413);
  });

  it('403 for a viewer who tries to write; reading is allowed', async () => {
    const viewer = await login('reader', viewerPassword);
    const read = await call('listTasks', { token: viewer.access_token, query: { limit: 1 } });
    expectSuccess(read);
    const result = await call('createTask', { token: viewer.access_token, body: { title: `Viewer ${marker}` } });
    const problem = expectProblem(result, 403);
    expect(problem.detail).toContain('reader');
  });

  it('410 for listChanges with a cursor of another server epoch', async () => {
    const result = await call('listChanges', { query: { cursor: '0123456789abcdef.5' } });
    const problem = expectProblem(result, 410);
    expect(problem.type).toBe('urn:dtm:problem:cursor-expired');
  });

  it('429 with Retry-After when the rate limit is reached', async () => {
    const mock = need(server, 'server');
    expect(operationOf('listProjects').responses['429']?.headers).toContain('Retry-After');
    await mock.setFaults({ rateLimit: 1 });
    try {
      // One request per second is allowed: at the latest the second of a quick burst is refused.
      let limited: Result | undefined;
      for (let attempt = 0; attempt < 10 && !limited; attempt++) {
        const result = await call('listProjects', { query: { limit: 1 } });
        if (result.status === 429) limited = result;
        else expectSuccess(result);
      }
      const result = need(limited, 'a 429 answer');
      expectProblem(result, 429);
      expect(result.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    } finally {
      await mock.setFaults({ rateLimit: 0 });
    }
    expectSuccess(await call('listProjects', { query: { limit: 1 } }));
  });
});

describe('coverage', () => {
  it('every operation of openapi.yaml got its declared success through the proxy', () => {
    expect([...exercised].sort()).toEqual(operations.map((operation) => operation.operationId).sort());
  });
});
