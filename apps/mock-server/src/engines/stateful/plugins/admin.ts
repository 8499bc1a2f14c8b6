import type { FastifyPluginCallback } from 'fastify';
import { type Faults, noFaults, parseFaults } from '../../../faults.js';
import { HttpProblem } from '../problems.js';
import type { RequestLog } from '../request-log.js';
import { registerRequestLogRoutes } from '../request-log-routes.js';
import { sendProblem } from '../send-problem.js';

/** The fault switches the admin routes turn. */
export interface FaultControl {
  /** The faults in force. */
  current(): Faults;
  /** Changes faults other than `down`, at once. */
  change(change: Partial<Faults>): void;
  /** Stops listening now and listens again after `ms`. */
  goDownFor(ms: number): void;
}

const maxDownMs = 600_000;

/**
 * Under the admin prefix, outside the contract: `/faults` reads, changes and resets the faults;
 * `/requests` reads back and clears the request log.
 */
export const adminPlugin: FastifyPluginCallback<{ faults: FaultControl; requests: RequestLog }> = (app, { faults, requests }, done) => {
  registerRequestLogRoutes(app, '', requests);
  app.get('/faults', (_request, reply) => reply.send(faults.current()));
  app.put('/faults', async (request, reply) => {
    const body: unknown = request.body ?? {};
    // A list or a scalar goes to parseFaults whole, which answers that it must be an object.
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    const { downForMs, ...rest } = isObject ? (body as Record<string, unknown>) : {};
    let change: Partial<Faults>;
    try {
      change = parseFaults(isObject ? rest : body);
      if (change.down === true && (typeof downForMs !== 'number' || !(downForMs > 0 && downForMs <= maxDownMs))) {
        throw new Error(`"down": true needs "downForMs" from 1 to ${maxDownMs}: over HTTP, the server must come back by itself`);
      }
    } catch (error) {
      return sendProblem(reply, new HttpProblem(400, (error as Error).message), request.requestId, request.url);
    }
    if (change.down === true) {
      const { down: _down, ...others } = change;
      faults.change(others);
      // Answer first, then go down.
      void reply.code(202).send({ ...faults.current(), down: true, downForMs });
      setImmediate(() => {
        faults.goDownFor(downForMs as number);
      });
      return reply;
    }
    faults.change(change);
    return faults.current();
  });
  app.delete('/faults', (_request, reply) => {
    faults.change(noFaults);
    return reply.send(faults.current());
  });
  done();
};
