import * as z from 'zod/mini';
import {
  calendarDateSchema,
  pageMetaSchema,
  projectIdSchema,
  sprintIdSchema,
  sprintStatusSchema,
  taskIdSchema,
  timestampSchema,
  versionSchema,
} from './common.js';

export const sprintSchema = z.looseObject({
  id: sprintIdSchema,
  name: z.string(),
  project_id: projectIdSchema,
  goal: z.nullable(z.string()),
  status: sprintStatusSchema,
  start_date: calendarDateSchema,
  end_date: calendarDateSchema,
  started_at: z.nullable(timestampSchema),
  completed_at: z.nullable(timestampSchema),
  created_at: timestampSchema,
  updated_at: timestampSchema,
  version: versionSchema,
});

export const sprintPageSchema = z.extend(pageMetaSchema, {
  items: z.array(sprintSchema),
});

export const sprintTaskAssignmentResultSchema = z.looseObject({
  sprint_id: sprintIdSchema,
  task_ids: z.array(taskIdSchema),
});

export const burndownPointSchema = z.looseObject({
  date: calendarDateSchema,
  remaining: z.nullable(z.int()),
  ideal: z.number(),
  completed: z.nullable(z.int()),
});

export const burndownSchema = z.looseObject({
  sprint_id: sprintIdSchema,
  unit: z.enum(['tasks']),
  start_date: calendarDateSchema,
  end_date: calendarDateSchema,
  scope: z.int(),
  points: z.array(burndownPointSchema),
});
