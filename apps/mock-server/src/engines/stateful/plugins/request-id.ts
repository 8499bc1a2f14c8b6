import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyPluginCallback } from 'fastify';
import { unencapsulated } from './unencapsulated.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's X-Request-Id when it is sane, else a new one; echoed on every answer. */
    requestId: string;
  }
}

/** The client's X-Request-Id when it is sane, else a new id. */
export function requestIdOf(request: { headers: IncomingHttpHeaders }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : `req_${randomUUID()}`;
}

/** Gives every request an id (`request.requestId`) and sends it back in `X-Request-Id`. */
export const requestIdPlugin: FastifyPluginCallback = unencapsulated('request-id', (app, _options, done) => {
  app.decorateRequest('requestId', '');
  app.addHook('onRequest', async (request, reply) => {
    request.requestId = requestIdOf(request);
    void reply.header('x-request-id', request.requestId);
  });
  done();
});
