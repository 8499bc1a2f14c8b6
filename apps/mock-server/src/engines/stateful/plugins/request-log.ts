import type { FastifyPluginCallback } from 'fastify';
import { type RequestLog, logEntry } from '../request-log.js';
import { unencapsulated } from './unencapsulated.js';

export interface RequestLogOptions {
  /** Print one line per answered request: method, path, status, time; never headers or bodies. */
  log: ((line: string) => void) | undefined;
  /** Every answered API request, for `GET /__admin/requests` (admin requests are left out). */
  requests: RequestLog;
  adminPrefix: string;
}

/** Logs each answered request: a line for `log`, an entry in the request log. */
export const requestLogPlugin: FastifyPluginCallback<RequestLogOptions> = unencapsulated('request-log', (app, { log, requests, adminPrefix }, done) => {
  app.addHook('onResponse', async (request, reply) => {
    log?.(`${request.method} ${request.url.split('?')[0] ?? ''} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
    if (request.url.startsWith(adminPrefix)) return;
    requests.record(logEntry(request, reply.statusCode, reply.elapsedTime, request.faultPlan));
  });
  done();
});
