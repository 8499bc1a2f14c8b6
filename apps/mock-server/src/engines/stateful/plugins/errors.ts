import type { FastifyPluginCallback } from 'fastify';
import { frameworkProblem } from '../framework-problems.js';
import { HttpProblem } from '../problems.js';
import { sendProblem } from '../send-problem.js';
import { unencapsulated } from './unencapsulated.js';

/** Answers every error, and every path that is not an operation, with problem+json. */
export const errorsPlugin: FastifyPluginCallback = unencapsulated('errors', (app, _options, done) => {
  app.setErrorHandler((error, request, reply) => {
    const known = error instanceof HttpProblem ? error : frameworkProblem(error as Error & { statusCode?: number; code?: string });
    if (known.status >= 500 && !(error instanceof HttpProblem)) process.stderr.write(`dtm-mock: ${String(error)}\n`);
    return sendProblem(reply, known, request.requestId, request.url);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new HttpProblem(404, `${request.method} ${request.url.split('?')[0] ?? ''} is not an operation of the DTM API.`),
      request.requestId,
      request.url,
    ),
  );
  done();
});
