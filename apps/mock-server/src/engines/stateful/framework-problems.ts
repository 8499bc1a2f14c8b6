import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestIdOf } from './plugins/request-id.js';
import { HttpProblem } from './problems.js';
import { sendProblem } from './send-problem.js';

/** The body limit; larger bodies get a 413. */
export const bodyLimitBytes = 10 * 1024 * 1024;

interface FrameworkError {
  statusCode?: number;
  code?: string;
  message: string;
}

/** Maps what Fastify rejects in a route (body parsing) onto the contract's problems. */
export function frameworkProblem(error: FrameworkError): HttpProblem {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpProblem(415, 'The request body must be JSON: send Content-Type: application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem(413, `The request body is too large (limit ${bodyLimitBytes / 1024 / 1024} MB).`);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new HttpProblem(414, 'The path is too long for any operation of the DTM API.');
    default:
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return new HttpProblem(400, `The request could not be read: ${error.message}.`);
      }
      return new HttpProblem(500, 'The mock server failed unexpectedly; see its console output.');
  }
}

/**
 * Fastify's `frameworkErrors`: what its router rejects (a URL that does not decode, a
 * parameter over `maxParamLength`). No hook has run yet, so the request id is made here.
 */
export function onFrameworkError(error: FrameworkError, request: FastifyRequest, reply: FastifyReply): void {
  const requestId = requestIdOf(request);
  void sendProblem(reply.header('x-request-id', requestId), frameworkProblem(error), requestId, request.url);
}

/** What node:http rejects before Fastify sees a request, as the status it deserves. */
function clientProblem(error: NodeJS.ErrnoException): HttpProblem {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HttpProblem(408, 'The request did not arrive in time (its headers or its body stopped short); send it again.');
    case 'HPE_HEADER_OVERFLOW':
      return new HttpProblem(431, 'The request line and headers are larger than 16 KB; shorten the query or the headers.');
    default:
      return new HttpProblem(400, `The request could not be read as HTTP/1.1 (${error.code ?? error.message}).`);
  }
}

/**
 * Fastify's `clientErrorHandler`: node:http could not read a request (too large headers, a
 * timeout, bad framing). There is no request or reply object, so the answer is written raw.
 */
export function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset socket is gone; nothing to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // As node:http does: once an answer has begun on this socket, another cannot be written.
  const answering = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && answering?.headersSent !== true) {
    const problem = clientProblem(error);
    const requestId = requestIdOf({ headers: {} });
    const body = JSON.stringify(problem.toProblem(requestId));
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
