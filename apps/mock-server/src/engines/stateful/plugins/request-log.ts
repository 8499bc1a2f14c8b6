import type { FastifyPluginCallback } from 'fastify';
import { unencapsulated } from './unencapsulated.js';

export interface RequestLogOptions {
  log: (line: string) => void;
}

/** One line per answered request: method, path, status, time; never headers or bodies. */
export const requestLogPlugin: FastifyPluginCallback<RequestLogOptions> = unencapsulated('request-log', (app, { log }, done) => {
  app.addHook('onResponse', async (request, reply) => {
    log(`${request.method} ${request.url.split('?')[0] ?? ''} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
  });
  done();
});
