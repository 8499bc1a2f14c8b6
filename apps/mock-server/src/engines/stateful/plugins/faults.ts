import type { FastifyPluginCallback } from 'fastify';
import type { Faults, RateLimiter } from '../../../faults.js';
import { HttpProblem } from '../problems.js';
import { sendProblem } from '../send-problem.js';
import { unencapsulated } from './unencapsulated.js';

export interface FaultsPluginOptions {
  /** The faults in force right now (they change at run time). */
  faults: () => Faults;
  limiter: RateLimiter;
  /** Requests under this prefix never get faults. */
  adminPrefix: string;
}

/** Injects the faults in force into every request of the API: drop, latency, rate limit, error. */
export const faultsPlugin: FastifyPluginCallback<FaultsPluginOptions> = unencapsulated('faults', (app, options, done) => {
  const { limiter, adminPrefix } = options;
  app.addHook('onRequest', async (request, reply) => {
    const { requestId } = request;
    if (request.url.startsWith(adminPrefix)) return;
    const faults = options.faults();
    if (faults.dropRate > 0 && Math.random() < faults.dropRate) {
      request.raw.socket.destroy();
      reply.hijack();
      return;
    }
    const delay = faults.latencyMs + (faults.jitterMs > 0 ? Math.random() * faults.jitterMs : 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (faults.rateLimit > 0) {
      const wait = limiter.take(faults.rateLimit, Date.now());
      if (wait > 0) {
        const limited = new HttpProblem(429, `Rate limit of ${faults.rateLimit} requests per second reached; retry after ${wait} s.`, {
          headers: { 'retry-after': String(wait) },
        });
        return sendProblem(reply, limited, requestId, request.url);
      }
    }
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
      const status = faults.errorStatuses[Math.floor(Math.random() * faults.errorStatuses.length)] ?? 500;
      const injected = new HttpProblem(status, `Injected fault: the mock answers ${status} to ${Math.round(faults.errorRate * 100)}% of requests.`, {
        headers: status === 503 ? { 'retry-after': '1' } : {},
      });
      return sendProblem(reply, injected, requestId, request.url);
    }
  });
  done();
});
