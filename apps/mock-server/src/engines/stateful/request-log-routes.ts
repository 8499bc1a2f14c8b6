import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problems.js';
import { type RequestLog, maxLoggedRequests } from './request-log.js';

/** `GET <prefix>/requests?limit=N` (newest first, default 50) and `DELETE <prefix>/requests`. */
export function registerRequestLogRoutes(app: FastifyInstance, prefix: string, log: RequestLog): void {
  app.get(`${prefix}/requests`, (request, reply) => {
    const raw = (request.query as Record<string, unknown>).limit ?? '50';
    const limit = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : 0;
    if (limit < 1 || limit > maxLoggedRequests) {
      throw new HttpProblem(400, `limit must be a whole number from 1 to ${maxLoggedRequests}, got ${JSON.stringify(raw)}.`);
    }
    return reply.send({ items: log.newest(limit) });
  });
  app.delete(`${prefix}/requests`, (_request, reply) => {
    log.clear();
    return reply.code(204).send();
  });
}
