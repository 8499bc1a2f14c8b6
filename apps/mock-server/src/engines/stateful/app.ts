import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import type { RateLimiter } from '../../faults.js';
import { type FaultControl, adminPlugin } from './plugins/admin.js';
import { type ContractRoutesOptions, contractRoutesPlugin } from './plugins/contract-routes.js';
import { corsPlugin } from './plugins/cors.js';
import { errorsPlugin } from './plugins/errors.js';
import { faultsPlugin } from './plugins/faults.js';
import { requestIdPlugin } from './plugins/request-id.js';
import { requestLogPlugin } from './plugins/request-log.js';

export interface AppDeps extends ContractRoutesOptions {
  faults: FaultControl;
  limiter: RateLimiter;
  /** Print one line per request. */
  log: ((line: string) => void) | undefined;
  serverFactory: FastifyServerFactory;
  /** The origins browsers may call from (`*`: any). */
  corsOrigin: string | readonly string[];
}

const adminPrefix = '/__admin';

/** The stateful mock as a Fastify app: one plugin per concern, in the order they act on a request. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({ bodyLimit: 10 * 1024 * 1024, serverFactory: deps.serverFactory });
  void app.register(requestIdPlugin);
  void app.register(corsPlugin, { origin: deps.corsOrigin });
  void app.register(faultsPlugin, { faults: () => deps.faults.current(), limiter: deps.limiter, adminPrefix });
  if (deps.log) void app.register(requestLogPlugin, { log: deps.log });
  void app.register(errorsPlugin);
  void app.register(contractRoutesPlugin, deps);
  void app.register(adminPlugin, { prefix: adminPrefix, faults: deps.faults });
  return app;
}
