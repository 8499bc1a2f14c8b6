import type { FastifyPluginCallback } from 'fastify';
import { type FaultPlan, type Faults, type RateLimiter, decide, parseFaultPlan } from '../../../faults.js';
import { HttpProblem, injectedProblem } from '../problems.js';
import { type RequestLog, logEntry } from '../request-log.js';
import { sendProblem } from '../send-problem.js';
import { unencapsulated } from './unencapsulated.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The faults this request asked for (`Prefer: code=`, `X-Dtm-Fault`), if any. */
    faultPlan: FaultPlan | undefined;
  }
}

export interface FaultsPluginOptions {
  /** The faults in force right now (they change at run time). */
  faults: () => Faults;
  /** The statuses the contract declares for an operation (what `Prefer: code=` may pick). */
  statuses: (operationId: string) => readonly number[] | undefined;
  limiter: RateLimiter;
  /** The random numbers of the faults (seeded with `faultSeed`, so a run can be replayed). */
  random: () => number;
  /** A dropped request is logged here (it gets no answer, so no onResponse). */
  requests: RequestLog;
  /** Requests under this prefix never get faults. */
  adminPrefix: string;
}

/**
 * Injects faults into every request of the API: the global switches, and what the request
 * itself asks for with `Prefer: code=N` or `X-Dtm-Fault`. Drop, latency, rate limit, error.
 */
export const faultsPlugin: FastifyPluginCallback<FaultsPluginOptions> = unencapsulated('faults', (app, options, done) => {
  const { limiter, adminPrefix, random, requests } = options;
  app.decorateRequest('faultPlan', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const { requestId } = request;
    if (request.url.startsWith(adminPrefix)) return;
    const operationId = (request.routeOptions.config as { operationId?: string }).operationId;
    let plan: FaultPlan | undefined;
    try {
      plan = parseFaultPlan(request.headers, operationId === undefined ? undefined : options.statuses(operationId));
    } catch (error) {
      return sendProblem(reply, new HttpProblem(400, (error as Error).message), requestId, request.url);
    }
    request.faultPlan = plan;
    const faults = options.faults();
    const decision = decide(faults, plan, random);
    if (decision.drop) {
      requests.record(logEntry(request, null, 0, plan));
      request.raw.socket.destroy();
      reply.hijack();
      return;
    }
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    if (faults.rateLimit > 0) {
      const wait = limiter.take(faults.rateLimit, Date.now());
      if (wait > 0) {
        const limited = new HttpProblem(429, `Rate limit of ${faults.rateLimit} requests per second reached; retry after ${wait} s.`, {
          headers: { 'retry-after': String(wait) },
        });
        return sendProblem(reply, limited, requestId, request.url);
      }
    }
    if (decision.error) return sendProblem(reply, injectedProblem(decision.error.status, decision.error.detail), requestId, request.url);
  });
  done();
});
