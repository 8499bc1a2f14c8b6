import { z } from 'zod';
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
  goal: z.string().nullable(),
  status: sprintStatusSchema,
  start_date: calendarDateSchema,
  end_date: calendarDateSchema,
  started_at: timestampSchema.nullable(),
  completed_at: timestampSchema.nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
  version: versionSchema,
});

export const sprintPageSchema = pageMetaSchema.extend({
  items: z.array(sprintSchema),
});

export const sprintTaskAssignmentResultSchema = z.looseObject({
  sprint_id: sprintIdSchema,
  task_ids: z.array(taskIdSchema),
});

export const burndownPointSchema = z.looseObject({
  date: calendarDateSchema,
  remaining: z.int().nullable(),
  ideal: z.number(),
  completed: z.int().nullable(),
});

export const burndownSchema = z.looseObject({
  sprint_id: sprintIdSchema,
  unit: z.enum(['tasks']),
  start_date: calendarDateSchema,
  end_date: calendarDateSchema,
  scope: z.int(),
  points: z.array(burndownPointSchema),
});
