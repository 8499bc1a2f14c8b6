import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import type { RateLimiter } from '../../faults.js';
import { bodyLimitBytes, onClientError, onFrameworkError } from './framework-problems.js';
import { type FaultControl, adminPlugin } from './plugins/admin.js';
import { type ContractRoutesOptions, contractRoutesPlugin } from './plugins/contract-routes.js';
import { corsPlugin } from './plugins/cors.js';
import { errorsPlugin } from './plugins/errors.js';
import { faultsPlugin } from './plugins/faults.js';
import { methodNotAllowedPlugin } from './plugins/method-not-allowed.js';
import { requestIdPlugin } from './plugins/request-id.js';
import { requestLogPlugin } from './plugins/request-log.js';
import type { RequestLog } from './request-log.js';

export interface AppDeps extends ContractRoutesOptions {
  faults: FaultControl;
  limiter: RateLimiter;
  /** The random numbers of the faults (seeded with `faultSeed`). */
  random: () => number;
  /** The requests `GET /__admin/requests` reads back. */
  requests: RequestLog;
  /** Print one line per request. */
  log: ((line: string) => void) | undefined;
  serverFactory: FastifyServerFactory;
  /** The origins browsers may call from (`*`: any). */
  corsOrigin: string | readonly string[];
}

const adminPrefix = '/__admin';

/** The stateful mock as a Fastify app: one plugin per concern, in the order they act on a request. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    bodyLimit: bodyLimitBytes,
    // Node reads at most 16 KB of request line and headers; with this limit a long path id gets
    // the contract's answer (422 or 404), never the router's 414.
    routerOptions: { maxParamLength: 16 * 1024 },
    frameworkErrors: onFrameworkError,
    clientErrorHandler: onClientError,
    serverFactory: deps.serverFactory,
  });
  // Only JSON is an operation's body; a text/plain one gets a 415, not Fastify's string.
  app.removeContentTypeParser('text/plain');
  void app.register(requestIdPlugin);
  void app.register(corsPlugin, { origin: deps.corsOrigin });
  void app.register(faultsPlugin, {
    faults: () => deps.faults.current(),
    statuses: (operationId) => deps.contract().statuses.get(operationId),
    limiter: deps.limiter,
    random: deps.random,
    requests: deps.requests,
    adminPrefix,
  });
  void app.register(requestLogPlugin, { log: deps.log, requests: deps.requests, adminPrefix });
  void app.register(errorsPlugin);
  void app.register(contractRoutesPlugin, deps);
  void app.register(methodNotAllowedPlugin, { operations: deps.contract().operations });
  void app.register(adminPlugin, { prefix: adminPrefix, faults: deps.faults, requests: deps.requests });
  return app;
}
