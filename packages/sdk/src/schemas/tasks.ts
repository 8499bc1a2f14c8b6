import { z } from 'zod';
import {
  calendarDateSchema,
  pageMetaSchema,
  problemSchema,
  projectIdSchema,
  sprintIdSchema,
  taskIdSchema,
  taskPrioritySchema,
  taskStatusSchema,
  timestampSchema,
  usernameSchema,
  versionSchema,
} from './common.js';

export const tagSchema = z.string();

export const taskSchema = z.looseObject({
  id: taskIdSchema,
  title: z.string(),
  description: z.string().nullable(),
  status: taskStatusSchema,
  priority: taskPrioritySchema,
  project_id: projectIdSchema.nullable(),
  sprint_id: sprintIdSchema.nullable(),
  assignee: usernameSchema.nullable(),
  tags: z.array(tagSchema),
  due_date: calendarDateSchema.nullable(),
  estimate_hours: z.number().nullable(),
  completed_at: timestampSchema.nullable(),
  completion_notes: z.string().nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
  version: versionSchema,
});

export const taskPageSchema = pageMetaSchema.extend({
  items: z.array(taskSchema),
});

// `from` and `to` hold whatever the changed field holds, so only their presence is checked.
export const fieldChangeSchema = z.looseObject({
  field: z.string(),
  from: z.unknown(),
  to: z.unknown(),
});

export const taskHistoryEntrySchema = z.looseObject({
  id: z.int(),
  task_id: taskIdSchema,
  action: z.enum(['created', 'updated', 'completed', 'deleted']),
  actor: usernameSchema,
  at: timestampSchema,
  changes: z.array(fieldChangeSchema),
});

export const taskHistoryPageSchema = pageMetaSchema.extend({
  items: z.array(taskHistoryEntrySchema),
});

export const bulkResultSchema = z.looseObject({
  index: z.int(),
  op: z.enum(['create', 'update', 'delete']),
  status: z.int(),
  id: taskIdSchema.optional(),
  task: taskSchema.optional(),
  error: problemSchema.optional(),
});

export const bulkResponseSchema = z.looseObject({
  results: z.array(bulkResultSchema),
  succeeded: z.int(),
  failed: z.int(),
});
