import { describe, expect, it } from 'vitest';
import type { ZodMiniType } from 'zod/mini';
import { z } from 'zod';
import {
  bulkResponseSchema,
  burndownSchema,
  changePageSchema,
  healthSchema,
  projectPageSchema,
  projectSchema,
  projectSummarySchema,
  responseSchemas,
  sprintPageSchema,
  sprintSchema,
  sprintTaskAssignmentResultSchema,
  taskHistoryPageSchema,
  taskPageSchema,
  taskSchema,
  tokenPairSchema,
  userSchema,
} from '../../src/schemas/index.js';
import { hasJsonSuccessBody, isSuccess, specOperations } from './spec.js';

// Operations answering 204 or streaming NDJSON/CSV: no single JSON body to validate.
const withoutJsonBody = [
  'logout',
  'deleteTask',
  'deleteProject',
  'deleteSprint',
  'unassignSprintTask',
  'exportTasks',
];

const byComponent: Record<string, ZodMiniType> = {
  Health: healthSchema,
  TokenPair: tokenPairSchema,
  User: userSchema,
  Task: taskSchema,
  TaskPage: taskPageSchema,
  TaskHistoryPage: taskHistoryPageSchema,
  BulkResponse: bulkResponseSchema,
  Project: projectSchema,
  ProjectPage: projectPageSchema,
  ProjectSummary: projectSummarySchema,
  Sprint: sprintSchema,
  SprintPage: sprintPageSchema,
  SprintTaskAssignmentResult: sprintTaskAssignmentResultSchema,
  Burndown: burndownSchema,
  ChangePage: changePageSchema,
};

const jsonBodyRefSchema = z.object({
  content: z.object({
    'application/json': z.object({ schema: z.object({ $ref: z.string() }) }),
  }),
});

/** The component name of an operation's success JSON body, from its `$ref`. */
function successComponent(responses: Record<string, unknown>): string | undefined {
  for (const [status, response] of Object.entries(responses)) {
    const body = isSuccess(status) ? jsonBodyRefSchema.safeParse(response) : undefined;
    if (body?.success) return body.data.content['application/json'].schema.$ref.replace('#/components/schemas/', '');
  }
  return undefined;
}

const isResponseOperation = (id: string): id is keyof typeof responseSchemas => Object.hasOwn(responseSchemas, id);

describe('responseSchemas', () => {
  it('has a key for exactly the operations of openapi.yaml minus those without a JSON body', () => {
    const operationIds = specOperations.map((op) => op.operationId);
    expect(operationIds).toHaveLength(new Set(operationIds).size);
    expect(Object.keys(responseSchemas).sort()).toEqual(
      operationIds.filter((id) => !withoutJsonBody.includes(id)).sort(),
    );
  });

  it('leaves out exactly the operations whose success response has no JSON body', () => {
    const noJson = specOperations.filter((op) => !hasJsonSuccessBody(op)).map((op) => op.operationId);
    expect(noJson.sort()).toEqual([...withoutJsonBody].sort());
  });

  it.for(specOperations.filter(hasJsonSuccessBody))(
    '$operationId uses the schema of the component its success response names',
    ({ operationId, responses }) => {
      const component = successComponent(responses) ?? '';
      expect(byComponent[component], `no schema for component "${component}"`).toBeDefined();
      expect(isResponseOperation(operationId) && responseSchemas[operationId]).toBe(byComponent[component]);
    },
  );
});
