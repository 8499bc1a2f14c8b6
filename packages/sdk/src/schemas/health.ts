import { z } from 'zod';

export const healthSchema = z.looseObject({
  status: z.enum(['ok', 'degraded', 'down']),
  version: z.string(),
  database: z.looseObject({
    status: z.enum(['up', 'down']),
    latency_ms: z.number().nullable().optional(),
  }),
  uptime_seconds: z.number(),
});
