import type { FastifyPluginCallback, HTTPMethods } from 'fastify';
import type { ContractOperation } from '../../../contract/operations.js';
import { HttpProblem } from '../problems.js';
import { sendProblem } from '../send-problem.js';

export interface MethodNotAllowedOptions {
  operations: readonly ContractOperation[];
}

// OPTIONS is CORS's; HEAD of a GET is answered by Fastify.
const methods: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * A 405 with `Allow` (RFC 9110 §15.5.6) for a method the contract does not have on a path it
 * has, as Prism answers: the path exists, so a 404 would mislead.
 */
export const methodNotAllowedPlugin: FastifyPluginCallback<MethodNotAllowedOptions> = (app, { operations }, done) => {
  const byPath = new Map<string, Set<string>>();
  for (const operation of operations) {
    const allowed = byPath.get(operation.path) ?? new Set<string>();
    allowed.add(operation.method);
    if (operation.method === 'GET') allowed.add('HEAD');
    byPath.set(operation.path, allowed);
  }
  for (const [path, allowed] of byPath) {
    const allow = [...allowed, 'OPTIONS'].join(', ');
    app.route({
      method: methods.filter((method) => !allowed.has(method)),
      url: path.replace(/\{(\w+)\}/g, ':$1'),
      handler: (request, reply) => {
        const problem = new HttpProblem(405, `${request.method} is not an operation on ${path}; it allows ${allow}.`, {
          headers: { allow },
        });
        return sendProblem(reply, problem, request.requestId, request.url);
      },
    });
  }
  done();
};
