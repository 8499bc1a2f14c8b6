import type { FastifyPluginCallback } from 'fastify';
import { HttpProblem } from '../problems.js';
import { sendProblem } from '../send-problem.js';
import { unencapsulated } from './unencapsulated.js';

/** Maps what Fastify itself rejects (bad JSON, wrong media type, too large) onto the contract's 400. */
function frameworkProblem(error: { statusCode?: number; code?: string; message: string }): HttpProblem {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new HttpProblem(400, 'The request body must be JSON: send Content-Type: application/json.');
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new HttpProblem(400, 'The request body is too large (limit 10 MB).');
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new HttpProblem(400, `The request could not be read: ${error.message}.`);
  }
  return new HttpProblem(500, 'The mock server failed unexpectedly; see its console output.');
}

/** Answers every error, and every path that is not an operation, with problem+json. */
export const errorsPlugin: FastifyPluginCallback = unencapsulated('errors', (app, _options, done) => {
  app.setErrorHandler((error, request, reply) => {
    const known = error instanceof HttpProblem ? error : frameworkProblem(error as { statusCode?: number; code?: string; message: string });
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
