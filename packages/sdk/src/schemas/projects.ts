import * as z from 'zod/mini';
import {
  pageMetaSchema,
  projectIdSchema,
  projectStatusSchema,
  timestampSchema,
  usernameSchema,
  versionSchema,
} from './common.js';

export const projectSchema = z.looseObject({
  id: projectIdSchema,
  name: z.string(),
  description: z.nullable(z.string()),
  status: projectStatusSchema,
  owner: z.nullable(usernameSchema),
  created_at: timestampSchema,
  updated_at: timestampSchema,
  version: versionSchema,
});

export const projectPageSchema = z.extend(pageMetaSchema, {
  items: z.array(projectSchema),
});

const countSchema = z.int();

// The spec closes these two objects (additionalProperties: false), but a newer server
// adding a status or priority must not make every summary unreadable, so they stay loose.
export const statusCountsSchema = z.looseObject({
  pending: countSchema,
  in_progress: countSchema,
  blocked: countSchema,
  completed: countSchema,
  cancelled: countSchema,
});

export const priorityCountsSchema = z.looseObject({
  low: countSchema,
  medium: countSchema,
  high: countSchema,
  critical: countSchema,
});

export const projectSummarySchema = z.looseObject({
  project_id: projectIdSchema,
  total: countSchema,
  by_status: statusCountsSchema,
  by_priority: priorityCountsSchema,
  completion_rate: z.number(),
});
