import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  bulkResponseSchema,
  burndownSchema,
  healthSchema,
  problemSchema,
  projectSchema,
  projectSummarySchema,
  responseSchemas,
  sprintSchema,
  sprintTaskAssignmentResultSchema,
  taskHistoryEntrySchema,
  taskHistoryPageSchema,
  taskPageSchema,
  taskSchema,
  tokenPairSchema,
  userSchema,
} from '../../src/schemas/index.js';
import {
  burndown,
  health,
  historyEntry,
  problem,
  project,
  projectSummary,
  sprint,
  task,
  taskPage,
  tokenPair,
  user,
  without,
} from './fixtures.js';
import { componentResponses, examplesOf, isSuccess, specOperations, type SpecExample } from './spec.js';

type ResponseOperationId = keyof typeof responseSchemas;

const isResponseOperation = (id: string): id is ResponseOperationId => Object.hasOwn(responseSchemas, id);

interface ExampleCase extends SpecExample {
  operationId: ResponseOperationId;
}

const successExamples: ExampleCase[] = specOperations.flatMap(({ operationId, responses }) => {
  if (!isResponseOperation(operationId)) return [];
  return Object.entries(responses)
    .filter(([status]) => isSuccess(status))
    .flatMap(([status, response]) => examplesOf(status, response))
    .filter((example) => example.mediaType === 'application/json')
    .map((example) => ({ ...example, operationId }));
});

const problemExamples = Object.entries(componentResponses).flatMap(([component, response]) =>
  examplesOf('', response)
    .filter((example) => example.mediaType === 'application/problem+json')
    .map((example) => ({ ...example, component })),
);

/** Parses and fails with zod's issues, which name the offending field. */
function expectParses(schema: z.ZodMiniType, value: unknown): unknown {
  const result = schema.safeParse(value);
  expect(result.error?.issues ?? []).toEqual([]);
  return result.data;
}

describe('the examples in openapi.yaml', () => {
  it('include at least one success example for every operation in responseSchemas', () => {
    const covered = new Set(successExamples.map((example) => example.operationId));
    expect([...covered].sort()).toEqual(Object.keys(responseSchemas).sort());
  });

  it.for(successExamples)('$operationId $status example $name parses unchanged', ({ operationId, value }) => {
    // Output equal to input: nothing stripped, nothing rewritten.
    expect(expectParses(responseSchemas[operationId], value)).toEqual(value);
  });

  it('include problem examples', () => {
    expect(problemExamples.length).toBeGreaterThan(0);
  });

  it.for(problemExamples)('$component problem example $name parses with problemSchema', ({ value }) => {
    expect(expectParses(problemSchema, value)).toEqual(value);
  });

  it('include a 503 Health body (down) that parses with healthSchema', () => {
    const getHealth = specOperations.find((op) => op.operationId === 'getHealth');
    const down = examplesOf('503', getHealth?.responses['503']);
    expect(down).toHaveLength(1);
    for (const { value } of down) expect(expectParses(healthSchema, value)).toEqual(value);
  });
});

describe('the fixtures', () => {
  const valid: [string, z.ZodMiniType, unknown][] = [
    ['task', taskSchema, task],
    ['taskPage', taskPageSchema, taskPage],
    ['sprint', sprintSchema, sprint],
    ['project', projectSchema, project],
    ['projectSummary', projectSummarySchema, projectSummary],
    ['historyEntry', taskHistoryEntrySchema, historyEntry],
    ['burndown', burndownSchema, burndown],
    ['health', healthSchema, health],
    ['problem', problemSchema, problem],
    ['tokenPair', tokenPairSchema, tokenPair],
    ['user', userSchema, user],
  ];

  // Otherwise a rejected case below could be failing for a reason other than its own.
  it.for(valid)('%s is valid', ([, schema, value]) => {
    expectParses(schema, value);
  });
});

interface InvalidCase {
  name: string;
  schema: z.ZodMiniType;
  given: unknown;
  /** The path of an issue the rejection must report. */
  want: PropertyKey[];
}

const invalid: InvalidCase[] = [
  { name: 'unknown task status', schema: taskSchema, given: { ...task, status: 'done' }, want: ['status'] },
  { name: 'unknown priority deep in a page', schema: taskPageSchema, given: { ...taskPage, items: [task, { ...task, priority: 'urgent' }] }, want: ['items', 1, 'priority'] },
  { name: 'unknown sprint status', schema: sprintSchema, given: { ...sprint, status: 'closed' }, want: ['status'] },
  { name: 'unknown role', schema: userSchema, given: { ...user, roles: ['owner'] }, want: ['roles', 0] },
  { name: 'token_type other than bearer', schema: tokenPairSchema, given: { ...tokenPair, token_type: 'mac' }, want: ['token_type'] },
  { name: 'missing required field', schema: taskSchema, given: without(task, 'version'), want: ['version'] },
  { name: 'missing nullable required field', schema: sprintSchema, given: without(sprint, 'goal'), want: ['goal'] },
  { name: 'missing items of a page', schema: taskPageSchema, given: without(taskPage, 'items'), want: ['items'] },
  { name: 'missing FieldChange.to', schema: taskHistoryEntrySchema, given: { ...historyEntry, changes: [{ field: 'status', from: 'pending' }] }, want: ['changes', 0, 'to'] },
  { name: 'missing problem title', schema: problemSchema, given: without(problem, 'title'), want: ['title'] },
  { name: 'total as a string', schema: taskPageSchema, given: { ...taskPage, total: '3' }, want: ['total'] },
  { name: 'estimate as a string', schema: taskSchema, given: { ...task, estimate_hours: '3' }, want: ['estimate_hours'] },
  { name: 'fractional version', schema: taskSchema, given: { ...task, version: 1.5 }, want: ['version'] },
  { name: 'epoch number as timestamp', schema: taskHistoryEntrySchema, given: { ...historyEntry, at: 1793617200 }, want: ['at'] },
  { name: 'null title', schema: taskSchema, given: { ...task, title: null }, want: ['title'] },
  { name: 'null tags', schema: taskSchema, given: { ...task, tags: null }, want: ['tags'] },
  { name: 'null sprint project_id', schema: sprintSchema, given: { ...sprint, project_id: null }, want: ['project_id'] },
  { name: 'null burndown ideal', schema: burndownSchema, given: { ...burndown, points: [{ date: '2026-11-02', remaining: 1, ideal: null, completed: 1 }] }, want: ['points', 0, 'ideal'] },
  { name: 'null page', schema: taskPageSchema, given: null, want: [] },
  { name: 'array instead of object', schema: healthSchema, given: [health], want: [] },
  { name: 'bulk result with a malformed task', schema: bulkResponseSchema, given: { results: [{ index: 0, op: 'create', status: 201, task: { ...task, id: 7 } }], succeeded: 1, failed: 0 }, want: ['results', 0, 'task', 'id'] },
];

// Formats, patterns and numeric or length limits are deliberately not checked at run time:
// as regex checks they triple the cost of parsing a page, and the server (and Prism, in the
// contract tests) enforces them. These payloads pass, so that decision cannot change unnoticed.
const notChecked: InvalidCase[] = [
  { name: 'version 0', schema: projectSchema, given: { ...project, version: 0 }, want: ['version'] },
  { name: 'limit above 1000', schema: taskPageSchema, given: { ...taskPage, limit: 1001 }, want: ['limit'] },
  { name: 'negative burndown remaining', schema: burndownSchema, given: { ...burndown, points: [{ date: '2026-11-02', remaining: -1, ideal: 2, completed: 0 }] }, want: ['points', 0, 'remaining'] },
  { name: 'completion_rate above 1', schema: projectSummarySchema, given: { ...projectSummary, completion_rate: 1.5 }, want: ['completion_rate'] },
  { name: 'problem status 200', schema: problemSchema, given: { ...problem, status: 200 }, want: ['status'] },
  { name: 'task id with too few digits', schema: taskSchema, given: { ...task, id: 'TASK-123' }, want: ['id'] },
  { name: 'lower-case task id', schema: taskSchema, given: { ...task, id: 'task-000123' }, want: ['id'] },
  { name: 'project id of the wrong kind', schema: taskSchema, given: { ...task, project_id: 'SPR-001' }, want: ['project_id'] },
  { name: 'sprint id with a suffix', schema: sprintSchema, given: { ...sprint, id: 'SPR-001x' }, want: ['id'] },
  { name: 'bad task id in an assignment', schema: sprintTaskAssignmentResultSchema, given: { sprint_id: 'SPR-001', task_ids: ['TASK-000123', '123'] }, want: ['task_ids', 1] },
  { name: 'user id pattern', schema: userSchema, given: { ...user, id: 'demo' }, want: ['id'] },
  { name: 'username with a space', schema: taskSchema, given: { ...task, assignee: 'de mo' }, want: ['assignee'] },
  { name: 'tag with a comma', schema: taskSchema, given: { ...task, tags: ['a,b'] }, want: ['tags', 0] },
  { name: 'garbage timestamp', schema: taskSchema, given: { ...task, created_at: 'yesterday' }, want: ['created_at'] },
  { name: 'timestamp without offset', schema: taskSchema, given: { ...task, updated_at: '2026-11-03T14:05:12' }, want: ['updated_at'] },
  { name: 'timestamp with a space separator', schema: sprintSchema, given: { ...sprint, created_at: '2026-10-30 12:00:00Z' }, want: ['created_at'] },
  { name: 'date that does not exist', schema: sprintSchema, given: { ...sprint, end_date: '2026-02-30' }, want: ['end_date'] },
  { name: 'date-time where a date belongs', schema: taskSchema, given: { ...task, due_date: '2026-11-20T00:00:00Z' }, want: ['due_date'] },
  { name: 'empty title', schema: taskSchema, given: { ...task, title: '' }, want: ['title'] },
];

describe('formats and limits are left to the server', () => {
  it.for(notChecked)('$name is accepted', ({ schema, given }) => {
    expect(schema.safeParse(given).success).toBe(true);
  });
});

describe('invalid payloads are rejected', () => {
  it.for(invalid)('$name', ({ schema, given, want }) => {
    const result = schema.safeParse(given);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(want);
  });
});

interface ExtraCase {
  name: string;
  schema: z.ZodMiniType;
  given: unknown;
}

const extras: ExtraCase[] = [
  { name: 'a new top-level task field', schema: taskSchema, given: { ...task, story_points: 5, watchers: ['demo'] } },
  { name: 'a new page field and a new field on an item', schema: taskPageSchema, given: { ...taskPage, next_cursor: 'abc', items: [{ ...task, story_points: 5 }] } },
  { name: 'a new database field in Health', schema: healthSchema, given: { ...health, database: { ...health.database, pool: { size: 10 } } } },
  { name: 'problem extension members', schema: problemSchema, given: { ...problem, retry_after: 2, errors: [{ field: 'title', message: 'too long', code: 'max_length' }] } },
  { name: 'a new status in the summary counts', schema: projectSummarySchema, given: { ...projectSummary, by_status: { ...projectSummary.by_status, in_review: 2 } } },
  { name: 'a new field on a history change', schema: taskHistoryPageSchema, given: { items: [{ ...historyEntry, changes: [{ field: 'status', from: null, to: 'x', reason: 'import' }] }], total: 1, limit: 50, offset: 0 } },
  { name: 'a new field on a nested bulk problem', schema: bulkResponseSchema, given: { results: [{ index: 0, op: 'delete', status: 404, error: { ...problem, status: 404, trace: 't1' }, took_ms: 3 }], succeeded: 0, failed: 1 } },
];

describe('unknown fields from a newer server', () => {
  it.for(extras)('are kept: $name', ({ schema, given }) => {
    expect(expectParses(schema, given)).toStrictEqual(given);
  });
});
