import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import type { components, operations } from '../../src/generated/openapi.js';
import {
  bulkResponseSchema,
  bulkResultSchema,
  burndownPointSchema,
  burndownSchema,
  calendarDateSchema,
  changeOpSchema,
  changePageSchema,
  changeSchema,
  fieldChangeSchema,
  fieldErrorSchema,
  healthSchema,
  pageMetaSchema,
  priorityCountsSchema,
  problemSchema,
  projectChangeSchema,
  projectIdSchema,
  projectPageSchema,
  projectSchema,
  projectStatusSchema,
  projectSummarySchema,
  responseSchemas,
  sprintChangeSchema,
  sprintIdSchema,
  sprintPageSchema,
  sprintSchema,
  sprintStatusSchema,
  sprintTaskAssignmentResultSchema,
  statusCountsSchema,
  tagSchema,
  taskChangeSchema,
  taskHistoryEntrySchema,
  taskHistoryPageSchema,
  taskIdSchema,
  taskPageSchema,
  taskPrioritySchema,
  taskSchema,
  taskStatusSchema,
  timestampSchema,
  tokenPairSchema,
  userSchema,
  usernameSchema,
  versionSchema,
} from '../../src/schemas/index.js';
import { task } from './fixtures.js';

// These assertions are checked by `tsc --noEmit` (npm run typecheck), not by vitest.

/**
 * Loose objects add `[k: string]: unknown` to their output. Strict removes index
 * signatures at every depth (objects, arrays, nullable unions) and flattens the
 * generated `PageMeta & {...}` intersections, leaving only the declared fields.
 */
type Strict<T> = T extends readonly (infer U)[]
  ? Strict<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : number extends K ? never : K]: Strict<T[K]> }
    : T;

type Out<S extends z.ZodMiniType> = Strict<z.output<S>>;
type Spec<Name extends keyof components['schemas']> = Strict<components['schemas'][Name]>;

type JsonBody<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessBody<Op> = Op extends { responses: infer R } ? JsonBody<R[Extract<keyof R, 200 | 201>]> : never;
type ResponseOperationId = keyof typeof responseSchemas;

describe('Strict', () => {
  it('drops index signatures at every depth and keeps everything else', () => {
    type Loose = { a: string; b?: number; c: { d: null | { e: unknown; [k: string]: unknown } }[]; [k: string]: unknown };
    expectTypeOf<Strict<Loose>>().toEqualTypeOf<{ a: string; b?: number; c: { d: null | { e: unknown } }[] }>();
  });

  it('still tells apart the differences a schema change would make', () => {
    type Base = { a: string; b?: number };
    // @ts-expect-error an added field
    expectTypeOf<Strict<Base & { c: string }>>().toEqualTypeOf<Strict<Base>>();
    // @ts-expect-error a removed field
    expectTypeOf<Strict<{ a: string }>>().toEqualTypeOf<Strict<Base>>();
    // @ts-expect-error a renamed field
    expectTypeOf<Strict<{ A: string; b?: number }>>().toEqualTypeOf<Strict<Base>>();
    // @ts-expect-error a retyped field
    expectTypeOf<Strict<{ a: number; b?: number }>>().toEqualTypeOf<Strict<Base>>();
    // @ts-expect-error a field made nullable
    expectTypeOf<Strict<{ a: string | null; b?: number }>>().toEqualTypeOf<Strict<Base>>();
    // @ts-expect-error an optional field made required
    expectTypeOf<Strict<{ a: string; b: number }>>().toEqualTypeOf<Strict<Base>>();
  });

  it('only strips at the type level: the extra keys are really there at runtime', () => {
    const parsed = taskSchema.parse({ ...task, story_points: 5 });
    expect(parsed.story_points).toBe(5);
  });
});

describe('schema outputs equal the generated types', () => {
  it('common', () => {
    expectTypeOf<Out<typeof taskIdSchema>>().toEqualTypeOf<Spec<'TaskId'>>();
    expectTypeOf<Out<typeof projectIdSchema>>().toEqualTypeOf<Spec<'ProjectId'>>();
    expectTypeOf<Out<typeof sprintIdSchema>>().toEqualTypeOf<Spec<'SprintId'>>();
    expectTypeOf<Out<typeof timestampSchema>>().toEqualTypeOf<Spec<'Timestamp'>>();
    expectTypeOf<Out<typeof calendarDateSchema>>().toEqualTypeOf<Spec<'CalendarDate'>>();
    expectTypeOf<Out<typeof versionSchema>>().toEqualTypeOf<Spec<'Version'>>();
    expectTypeOf<Out<typeof taskStatusSchema>>().toEqualTypeOf<Spec<'TaskStatus'>>();
    expectTypeOf<Out<typeof taskPrioritySchema>>().toEqualTypeOf<Spec<'TaskPriority'>>();
    expectTypeOf<Out<typeof projectStatusSchema>>().toEqualTypeOf<Spec<'ProjectStatus'>>();
    expectTypeOf<Out<typeof sprintStatusSchema>>().toEqualTypeOf<Spec<'SprintStatus'>>();
    expectTypeOf<Out<typeof usernameSchema>>().toEqualTypeOf<Spec<'Username'>>();
    expectTypeOf<Out<typeof fieldErrorSchema>>().toEqualTypeOf<Spec<'FieldError'>>();
    expectTypeOf<Out<typeof problemSchema>>().toEqualTypeOf<Spec<'Problem'>>();
    expectTypeOf<Out<typeof pageMetaSchema>>().toEqualTypeOf<Spec<'PageMeta'>>();
  });

  it('health and auth', () => {
    expectTypeOf<Out<typeof healthSchema>>().toEqualTypeOf<Spec<'Health'>>();
    expectTypeOf<Out<typeof tokenPairSchema>>().toEqualTypeOf<Spec<'TokenPair'>>();
    expectTypeOf<Out<typeof userSchema>>().toEqualTypeOf<Spec<'User'>>();
  });

  it('tasks', () => {
    expectTypeOf<Out<typeof tagSchema>>().toEqualTypeOf<Spec<'Tag'>>();
    expectTypeOf<Out<typeof taskSchema>>().toEqualTypeOf<Spec<'Task'>>();
    expectTypeOf<Out<typeof taskPageSchema>>().toEqualTypeOf<Spec<'TaskPage'>>();
    expectTypeOf<Out<typeof fieldChangeSchema>>().toEqualTypeOf<Spec<'FieldChange'>>();
    expectTypeOf<Out<typeof taskHistoryEntrySchema>>().toEqualTypeOf<Spec<'TaskHistoryEntry'>>();
    expectTypeOf<Out<typeof taskHistoryPageSchema>>().toEqualTypeOf<Spec<'TaskHistoryPage'>>();
    expectTypeOf<Out<typeof bulkResultSchema>>().toEqualTypeOf<Spec<'BulkResult'>>();
    expectTypeOf<Out<typeof bulkResponseSchema>>().toEqualTypeOf<Spec<'BulkResponse'>>();
  });

  it('projects', () => {
    expectTypeOf<Out<typeof projectSchema>>().toEqualTypeOf<Spec<'Project'>>();
    expectTypeOf<Out<typeof projectPageSchema>>().toEqualTypeOf<Spec<'ProjectPage'>>();
    expectTypeOf<Out<typeof statusCountsSchema>>().toEqualTypeOf<Spec<'StatusCounts'>>();
    expectTypeOf<Out<typeof priorityCountsSchema>>().toEqualTypeOf<Spec<'PriorityCounts'>>();
    expectTypeOf<Out<typeof projectSummarySchema>>().toEqualTypeOf<Spec<'ProjectSummary'>>();
  });

  it('sprints', () => {
    expectTypeOf<Out<typeof sprintSchema>>().toEqualTypeOf<Spec<'Sprint'>>();
    expectTypeOf<Out<typeof sprintPageSchema>>().toEqualTypeOf<Spec<'SprintPage'>>();
    expectTypeOf<Out<typeof sprintTaskAssignmentResultSchema>>().toEqualTypeOf<Spec<'SprintTaskAssignmentResult'>>();
    expectTypeOf<Out<typeof burndownSchema>>().toEqualTypeOf<Spec<'Burndown'>>();
    expectTypeOf<Out<typeof burndownPointSchema>>().toEqualTypeOf<Spec<'BurndownPoint'>>();
  });

  it('changes', () => {
    expectTypeOf<Out<typeof changeOpSchema>>().toEqualTypeOf<Spec<'ChangeOp'>>();
    expectTypeOf<Out<typeof taskChangeSchema>>().toEqualTypeOf<Spec<'TaskChange'>>();
    expectTypeOf<Out<typeof projectChangeSchema>>().toEqualTypeOf<Spec<'ProjectChange'>>();
    expectTypeOf<Out<typeof sprintChangeSchema>>().toEqualTypeOf<Spec<'SprintChange'>>();
    expectTypeOf<Out<typeof changeSchema>>().toEqualTypeOf<Spec<'Change'>>();
    expectTypeOf<Out<typeof changePageSchema>>().toEqualTypeOf<Spec<'ChangePage'>>();
  });

  it('responseSchemas: each operation maps to the type of its success body', () => {
    expectTypeOf<ResponseOperationId>().toEqualTypeOf<
      Exclude<
        keyof operations,
        'logout' | 'deleteTask' | 'deleteProject' | 'deleteSprint' | 'unassignSprintTask' | 'exportTasks'
      >
    >();
    expectTypeOf<{ [K in ResponseOperationId]: Out<(typeof responseSchemas)[K]> }>().toEqualTypeOf<{
      [K in ResponseOperationId]: Strict<SuccessBody<operations[K]>>;
    }>();
  });
});
