import * as z from 'zod/mini';
import { projectIdSchema, sprintIdSchema, taskIdSchema, timestampSchema, versionSchema } from './common.js';
import { projectSchema } from './projects.js';
import { sprintSchema } from './sprints.js';
import { taskSchema } from './tasks.js';

export const changeOpSchema = z.enum(['upsert', 'delete']);

// `record` is optional in each: present on upsert, absent on a delete (a tombstone).
export const taskChangeSchema = z.looseObject({
  kind: z.literal('task'),
  id: taskIdSchema,
  op: changeOpSchema,
  version: versionSchema,
  changed_at: timestampSchema,
  record: z.optional(taskSchema),
});

export const projectChangeSchema = z.looseObject({
  kind: z.literal('project'),
  id: projectIdSchema,
  op: changeOpSchema,
  version: versionSchema,
  changed_at: timestampSchema,
  record: z.optional(projectSchema),
});

export const sprintChangeSchema = z.looseObject({
  kind: z.literal('sprint'),
  id: sprintIdSchema,
  op: changeOpSchema,
  version: versionSchema,
  changed_at: timestampSchema,
  record: z.optional(sprintSchema),
});

// Picks the branch by `kind`, as the contract's discriminator does: one lookup, and an issue
// that names the field of the right branch rather than three failed alternatives.
export const changeSchema = z.discriminatedUnion('kind', [taskChangeSchema, projectChangeSchema, sprintChangeSchema]);

export const changePageSchema = z.looseObject({
  items: z.array(changeSchema),
  next_cursor: z.string(),
  has_more: z.boolean(),
});
