import type { FastifyReply } from 'fastify';
import type { HttpProblem } from './problems.js';

/** Answers with an RFC 9457 problem+json body and the problem's headers. */
export function sendProblem(reply: FastifyReply, error: HttpProblem, requestId: string, instance: string): FastifyReply {
  return reply
    .code(error.status)
    .headers(error.headers)
    .header('content-type', 'application/problem+json')
    .send(JSON.stringify(error.toProblem(requestId, instance)));
}
