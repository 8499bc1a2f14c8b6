import * as z from 'zod/mini';

export const healthSchema = z.looseObject({
  status: z.enum(['ok', 'degraded', 'down']),
  version: z.string(),
  database: z.looseObject({
    status: z.enum(['up', 'down']),
    latency_ms: z.optional(z.nullable(z.number())),
  }),
  uptime_seconds: z.number(),
});
