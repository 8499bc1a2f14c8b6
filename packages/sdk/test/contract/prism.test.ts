// The SDK against Prism serving openapi.yaml: every operation is called through its SDK
// method with the spec's example arguments, and Prism checks each request against the
// contract (a violation comes back in the `sl-violations` header). Then every declared
// error status is forced with `Prefer: code=...` to check the error class the SDK maps
// it to.
import { type ContractOperation, type RunningPrism, loadContract, startPrism } from '@dtm/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  CursorExpiredError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../../src/core/errors.js';
import type { RequestEvent, ResponseEvent } from '../../src/core/hooks.js';
import { redactBody } from '../../src/core/redact.js';
import type { RequestOptions } from '../../src/core/transport.js';
import type { operations } from '../../src/generated/openapi.js';
import type { TaskFilters } from '../../src/resources/tasks.js';

type OperationId = keyof operations;
type Call = (client: DtmClient, options: RequestOptions) => Promise<unknown>;

const token = 'contract-test';
// From the spec's request examples (RefreshRequest, LogoutRequest).
const refreshToken = 'rt_4b1d2c7e9a0f4e6b8c3d5a7f9e1b2c4d';
const taskId = 'TASK-000123';
const projectId = 'PRJ-001';
const sprintId = 'SPR-001';
const ifMatch = '"3"';
// From the spec's parameter examples (ChangeCursor, IfNoneMatch).
const cursor = '9f1c3a5e7b2d4f60.1042';
const ifNoneMatch = 3;

/** Puts a refresh token in the store, as a login would: refresh and logout need one. */
async function withRefreshToken(client: DtmClient): Promise<void> {
  await client.tokenStore.set({ accessToken: token, refreshToken });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

const taskFilters: TaskFilters = {
  status: ['pending', 'in_progress'],
  priority: ['high', 'critical'],
  project_id: projectId,
  sprint_id: sprintId,
  assignee: 'demo',
  q: 'release',
  updated_since: '2026-11-01T00:00:00Z',
  sort: '-updated_at',
};

/**
 * One SDK call per operation of openapi.yaml, with the spec's example arguments.
 * `satisfies Record<OperationId, Call>` makes a missing (or unknown) operation a type error.
 */
const calls = {
  getHealth: (c, o) => c.health(o),
  login: (c, o) => c.auth.login({ username: 'demo', password: 'correct-horse-battery-staple' }, o),
  refreshToken: async (c, o) => {
    await withRefreshToken(c);
    return c.auth.refresh(o);
  },
  logout: async (c, o) => {
    await withRefreshToken(c);
    await c.auth.logout(o);
  },
  getCurrentUser: (c, o) => c.auth.me(o),

  listTasks: (c, o) => c.tasks.list({ ...taskFilters, limit: 50, offset: 0 }, o),
  createTask: (c, o) =>
    c.tasks.create(
      {
        title: 'Write the release notes',
        description: 'Cover the new export command.',
        priority: 'high',
        project_id: projectId,
        assignee: 'demo',
        tags: ['docs'],
        due_date: '2026-11-20',
        estimate_hours: 3,
      },
      o,
    ),
  bulkTasks: (c, o) =>
    c.tasks.bulk(
      {
        operations: [
          { op: 'create', data: { title: 'Triage new bug reports', project_id: projectId } },
          { op: 'update', id: taskId, if_match: ifMatch, data: { status: 'completed' } },
          { op: 'delete', id: 'TASK-000099' },
        ],
      },
      o,
    ),
  exportTasks: (c, o) =>
    collect(c.tasks.export(taskFilters, o)),
  getTask: (c, o) => c.tasks.get(taskId, { ...o, ifNoneMatch }),
  updateTask: (c, o) => c.tasks.update(taskId, { status: 'in_progress', assignee: 'demo' }, { ...o, ifMatch }),
  deleteTask: (c, o) => c.tasks.delete(taskId, { ...o, ifMatch }),
  completeTask: (c, o) => c.tasks.complete(taskId, { completion_notes: 'Published on the blog.' }, { ...o, ifMatch }),
  getTaskHistory: (c, o) => c.tasks.history(taskId, { limit: 50, offset: 0 }, o),

  listProjects: (c, o) => c.projects.list({ status: 'active', q: 'release', limit: 50, offset: 0 }, o),
  createProject: (c, o) =>
    c.projects.create({ name: 'Website relaunch', description: 'New marketing site and docs portal.', owner: 'demo' }, o),
  getProject: (c, o) => c.projects.get(projectId, { ...o, ifNoneMatch }),
  updateProject: (c, o) => c.projects.update(projectId, { status: 'archived' }, { ...o, ifMatch }),
  deleteProject: (c, o) => c.projects.delete(projectId, { ...o, ifMatch }),
  getProjectSummary: (c, o) => c.projects.summary(projectId, o),

  listSprints: (c, o) => c.sprints.list({ status: 'active', project_id: projectId, limit: 50, offset: 0 }, o),
  createSprint: (c, o) =>
    c.sprints.create(
      {
        name: 'Sprint 12',
        project_id: projectId,
        goal: 'Ship the export command.',
        start_date: '2026-11-02',
        end_date: '2026-11-13',
      },
      o,
    ),
  getSprint: (c, o) => c.sprints.get(sprintId, { ...o, ifNoneMatch }),
  updateSprint: (c, o) => c.sprints.update(sprintId, { end_date: '2026-11-16' }, { ...o, ifMatch }),
  deleteSprint: (c, o) => c.sprints.delete(sprintId, { ...o, ifMatch }),
  startSprint: (c, o) => c.sprints.start(sprintId, o),
  completeSprint: (c, o) => c.sprints.complete(sprintId, o),
  getSprintBurndown: (c, o) => c.sprints.burndown(sprintId, o),
  assignSprintTasks: (c, o) => c.sprints.assignTasks(sprintId, [taskId, 'TASK-000124'], o),
  unassignSprintTask: (c, o) => c.sprints.unassignTask(sprintId, taskId, o),

  listChanges: (c, o) => c.changes.list({ cursor, limit: 100, wait: 0 }, o),
} satisfies Record<OperationId, Call>;

function isOperationId(id: string): id is OperationId {
  return Object.hasOwn(calls, id);
}

function callFor(id: string): Call {
  if (!isOperationId(id)) throw new Error(`no SDK call in the table for ${id}`);
  return calls[id];
}

interface Violation {
  location: string[];
  code: string | number;
  message: string;
}

/** A client with validation on and hooks recording every request and response. */
function observedClient() {
  const requests: RequestEvent[] = [];
  const responses: ResponseEvent[] = [];
  const client = new DtmClient({
    baseUrl: prismUrl(),
    token,
    validate: true,
    hooks: {
      onRequest: (event) => requests.push(event),
      onResponse: (event) => responses.push(event),
    },
  });
  const violations = (): { operation: string; violations: Violation[] }[] =>
    responses
      .filter((event) => event.headers['sl-violations'] !== undefined)
      .map((event) => ({
        operation: event.operation,
        violations: JSON.parse(event.headers['sl-violations'] ?? '[]') as Violation[],
      }));
  return { client, requests, responses, violations };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first example of a response's media type, or undefined. */
function firstExample(operation: ContractOperation, status: string, mediaType: string): unknown {
  const examples = operation.responses[status]?.content[mediaType];
  return examples ? Object.values(examples)[0] : undefined;
}

/** The first 2xx status the operation declares: the one Prism answers with. */
function successStatus(operation: ContractOperation): string {
  const status = Object.keys(operation.responses).find((code) => /^2\d\d$/.test(code));
  if (status === undefined) throw new Error(`${operation.operationId} declares no success response`);
  return status;
}

/** The value the SDK method should resolve with: the example Prism serves for the first 2xx. */
function expectedResult(operation: ContractOperation): unknown {
  const status = successStatus(operation);
  const json = firstExample(operation, status, 'application/json');
  if (json !== undefined) return json;
  const ndjson = firstExample(operation, status, 'application/x-ndjson');
  if (typeof ndjson === 'string') {
    return ndjson
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line): unknown => JSON.parse(line));
  }
  return undefined;
}

/** How the contract serialises a parameter example (arrays: form style, not exploded). */
function serialise(example: unknown): string {
  return Array.isArray(example) ? example.map(String).join(',') : String(example);
}

const contract = loadContract();
const contractIds = contract.map((operation) => operation.operationId);

let prism: RunningPrism | undefined;
beforeAll(async () => {
  prism = await startPrism();
});
afterAll(async () => {
  await prism?.stop();
});

function prismUrl(): string {
  if (!prism) throw new Error('Prism did not start');
  return prism.url;
}

describe('the operation table', () => {
  it('has exactly one entry per operation of openapi.yaml', () => {
    expect(new Set(contractIds).size).toBe(contractIds.length);
    expect(Object.keys(calls).sort()).toEqual([...contractIds].sort());
  });
});

describe('every operation through the SDK against Prism', () => {
  it.each(contract.map((operation) => [operation.operationId, operation] as const))(
    '%s: conforms to the contract and resolves with the example response',
    async (id, operation) => {
      const { client, requests, responses, violations } = observedClient();

      const result = await callFor(id)(client, {});

      expect(violations()).toEqual([]);
      const own = responses.filter((event) => event.operation === id);
      expect(own.map((event) => event.status)).toEqual([Number(successStatus(operation))]);
      expect(result).toEqual(expectedResult(operation));

      // The arguments in the table are the spec's examples.
      const request = requests.find((event) => event.operation === id);
      if (!request) throw new Error(`${id} sent no request`);
      const url = new URL(request.url);
      let path = operation.path;
      for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
        path = path.replace(`{${parameter.name}}`, encodeURIComponent(serialise(parameter.example)));
      }
      expect(url.pathname).toBe(path);
      const query = operation.parameters.filter((p) => p.in === 'query');
      expect([...url.searchParams.keys()].sort()).toEqual(query.map((p) => p.name).sort());
      for (const parameter of query) {
        expect(url.searchParams.get(parameter.name), parameter.name).toBe(serialise(parameter.example));
      }
      for (const parameter of operation.parameters.filter((p) => p.in === 'header')) {
        const sent = request.headers[parameter.name.toLowerCase()];
        if (parameter.name === 'Idempotency-Key') expect(sent).toMatch(/^.{8,255}$/);
        else expect(sent, parameter.name).toBe(serialise(parameter.example));
      }
      expect(request.body).toEqual(redactBody(operation.requestBody?.example));
    },
  );

  it('exportCsv streams the CSV export without violations', async () => {
    const { client, violations } = observedClient();
    // The SDK sends `Accept: */*` for exports, and Prism then picks the first declared
    // media type (NDJSON) whatever the `format`: ask for CSV explicitly.
    const stream = await client.tasks.exportCsv(taskFilters);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
    text += decoder.decode();
    expect(violations()).toEqual([]);
    const exportTasks = contract.find((operation) => operation.operationId === 'exportTasks');
    if (!exportTasks) throw new Error('exportTasks is missing from openapi.yaml');
    expect(text).toBe(firstExample(exportTasks, '200', 'text/csv'));
    expect(text.split('\n')[0]).toMatch(/^id,title,/);
  });

  it.each(['getTask', 'getProject', 'getSprint'] as const)('%s resolves with null on 304 Not Modified', async (id) => {
    const { client, responses, violations } = observedClient();
    const result = await callFor(id)(client, { headers: { prefer: 'code=304' } });
    expect(violations()).toEqual([]);
    expect(responses.map((event) => event.status)).toEqual([304]);
    expect(result).toBeNull();
  });

  it('getHealth resolves with the Health body on 503, by design', async () => {
    const { client, violations } = observedClient();
    const getHealth = contract.find((operation) => operation.operationId === 'getHealth');
    if (!getHealth) throw new Error('getHealth is missing from openapi.yaml');
    const health = await client.health({ headers: { prefer: 'code=503' }, retries: 0 });
    expect(violations()).toEqual([]);
    expect(health).toEqual(firstExample(getHealth, '503', 'application/json'));
    expect(health.status).toBe('down');
  });
});

type ApiErrorClass = abstract new (...args: never[]) => ApiError;
const errorClasses: Record<number, ApiErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  410: CursorExpiredError,
  412: PreconditionFailedError,
  // Content Too Large, Unsupported Media Type: no class of their own; the hint says what to do.
  413: ApiError,
  415: ApiError,
  422: ValidationError,
  429: RateLimitError,
  500: ServerError,
  503: ServerError,
};

const errorCases = contract.flatMap((operation) =>
  Object.keys(operation.responses)
    .filter((status) => /^[45]\d\d$/.test(status))
    // Health's 503 carries a Health body and resolves: checked above.
    .filter((status) => !(operation.operationId === 'getHealth' && status === '503'))
    .map((status) => [operation.operationId, Number(status), operation] as const),
);

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject, but it resolved');
}

describe('every declared error status maps to its error class', () => {
  it('covers every error status the contract declares', () => {
    const statuses = new Set(errorCases.map(([, status]) => status));
    for (const status of statuses) expect(errorClasses[status], `no expected class for ${status}`).toBeDefined();
    expect(errorCases.length).toBeGreaterThan(contract.length);
  });

  it.each(errorCases)('%s answering %i', async (id, status, operation) => {
    const { client, requests, violations } = observedClient();

    const error = await rejectionOf(callFor(id)(client, { headers: { prefer: `code=${status}` }, retries: 0 }));

    expect(violations()).toEqual([]);
    const expectedClass = errorClasses[status];
    if (!expectedClass) throw new Error(`no expected class for ${status}`);
    expect(error).toBeInstanceOf(expectedClass);
    if (!(error instanceof ApiError)) throw new Error('not an ApiError');
    const problem = firstExample(operation, String(status), 'application/problem+json');
    if (!isRecord(problem)) throw new Error(`${id} ${status} has no problem example`);
    expect(error.status).toBe(status);
    expect(error.problem.title).toBe(problem.title);
    expect(error.problem.title).not.toBe('');
    expect(error.requestId).toBe(problem.request_id);
    expect(error.operation).toBe(id);
    if (error instanceof ValidationError) {
      expect(error.fieldErrors.length).toBeGreaterThan(0);
      expect(error.fieldErrors).toEqual(problem.errors);
    }
    if (error instanceof RateLimitError) expect(error.retryAfterMs).toBe(2000);
    if (error instanceof PreconditionFailedError) expect(error.currentEtag).toBe(ifMatch);
    // No retries (retries: 0), and no refresh-and-replay: the other calls have a plain token,
    // and a 401 from logout (which carries the refresh token itself) is its answer.
    expect(requests.map((event) => event.operation)).toEqual([id]);
  });
});
