import * as z from 'zod/mini';

// These schemas check the shape of every response: each field present, with its type,
// enum values, integers and nullability. That is what keeps `undefined` from leaking into
// callers. Formats, patterns and length limits are the server's to enforce (Prism checks
// them in the contract tests): as regex checks they would triple the cost of parsing a page.
//
// Every object schema here is loose: a newer server may add fields, and dropping them
// would silently lose data for callers that pass objects through.

export const taskIdSchema = z.string();
export const projectIdSchema = z.string();
export const sprintIdSchema = z.string();

export const timestampSchema = z.string();
export const calendarDateSchema = z.string();

export const versionSchema = z.int();

export const taskStatusSchema = z.enum(['pending', 'in_progress', 'blocked', 'completed', 'cancelled']);
export const taskPrioritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export const projectStatusSchema = z.enum(['active', 'archived']);
export const sprintStatusSchema = z.enum(['planned', 'active', 'completed']);

export const usernameSchema = z.string();

export const fieldErrorSchema = z.looseObject({
  field: z.string(),
  message: z.string(),
});

export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  request_id: z.optional(z.string()),
  errors: z.optional(z.array(fieldErrorSchema)),
});

export const pageMetaSchema = z.looseObject({
  total: z.int(),
  limit: z.int(),
  offset: z.int(),
});
