import * as z from 'zod/mini';
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
  description: z.nullable(z.string()),
  status: taskStatusSchema,
  priority: taskPrioritySchema,
  project_id: z.nullable(projectIdSchema),
  sprint_id: z.nullable(sprintIdSchema),
  assignee: z.nullable(usernameSchema),
  tags: z.array(tagSchema),
  due_date: z.nullable(calendarDateSchema),
  estimate_hours: z.nullable(z.number()),
  completed_at: z.nullable(timestampSchema),
  completion_notes: z.nullable(z.string()),
  created_at: timestampSchema,
  updated_at: timestampSchema,
  version: versionSchema,
});

export const taskPageSchema = z.extend(pageMetaSchema, {
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

export const taskHistoryPageSchema = z.extend(pageMetaSchema, {
  items: z.array(taskHistoryEntrySchema),
});

export const bulkResultSchema = z.looseObject({
  index: z.int(),
  op: z.enum(['create', 'update', 'delete']),
  status: z.int(),
  id: z.optional(taskIdSchema),
  task: z.optional(taskSchema),
  error: z.optional(problemSchema),
});

export const bulkResponseSchema = z.looseObject({
  results: z.array(bulkResultSchema),
  succeeded: z.int(),
  failed: z.int(),
});
