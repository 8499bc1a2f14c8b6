import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import type { Auth } from '../auth.js';
import type { ChangeFeed } from '../changes.js';
import type { Context, Handler, Reply } from '../handlers/context.js';
import { handlers } from '../handlers/index.js';
import { IdempotencyCache, type StoredReply } from '../idempotency.js';
import type { LoadedContract } from '../live-contract.js';
import { HttpProblem } from '../problems.js';
import type { Store } from '../store.js';
import type { OperationId, User } from '../types.js';
import type { RequestChecker } from '../validation.js';

export interface ContractRoutesOptions {
  /** The contract in force: `watch` swaps it while the server runs (the routes stay those of the start). */
  contract: () => LoadedContract;
  store: Store;
  changes: ChangeFeed;
  auth: Auth;
  idempotency: IdempotencyCache;
  /** When the server started (ms since the epoch), for health's uptime. */
  startedAt: number;
}

function send(reply: FastifyReply, stored: StoredReply, replayed: boolean): FastifyReply {
  void reply.code(stored.status).headers(stored.headers);
  if (replayed) void reply.header('idempotent-replayed', 'true');
  return stored.body === undefined ? reply.send() : reply.send(stored.body);
}

/** The signal of operations that never wait. */
const never = new AbortController().signal;

/** Aborts when the response closes early, which happens only when the client goes away. */
function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    gone.abort();
  });
  return gone.signal;
}

/**
 * One route per operation of openapi.yaml: authentication, the contract's request checks,
 * idempotency, then the operation's handler.
 */
export const contractRoutesPlugin: FastifyPluginCallback<ContractRoutesOptions> = (app, options, done) => {
  const { contract, store, changes, auth, idempotency, startedAt } = options;
  for (const operation of contract().operations) {
    const operationId = operation.operationId as OperationId;
    const handler = (handlers as Partial<Record<string, Handler>>)[operationId];
    if (!handler || !contract().checkers.has(operationId)) {
      throw new Error(`openapi.yaml has ${operationId}, which the stateful mock does not implement`);
    }
    const takesKey = operation.parameters.some((parameter) => parameter.name === 'Idempotency-Key');
    const writes = operation.method !== 'GET';
    // Only a long-poll (an operation with `wait`) needs to learn that its client went away.
    const longPolls = operation.parameters.some((parameter) => parameter.name === 'wait');
    app.route({
      method: operation.method,
      url: operation.path.replace(/\{(\w+)\}/g, ':$1'),
      // The faults plugin finds the statuses a `Prefer: code=` may pick by it.
      config: { operationId },
      handler: async (request, reply) => {
        const { requestId } = request;
        let user: User | undefined;
        if (operation.secured) {
          user = await auth.authenticate(request.headers.authorization);
          if (writes && operationId !== 'logout' && !user.roles.some((role) => role !== 'viewer')) {
            throw new HttpProblem(403, `${user.username} may only read (role viewer); ${operationId} changes data.`);
          }
        }
        // Looked up per request: `watch` swaps the contract while the server runs.
        const check = contract().checkers.get(operationId) as RequestChecker;
        const checked = check({
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string | string[] | undefined>,
          headers: request.headers,
          body: request.body,
          hasBody: request.body !== undefined && request.body !== null,
        });
        const key = takesKey ? checked.headers['idempotency-key'] : undefined;
        const scope = `${user?.username ?? ''}\u0000${operationId}`;
        const fingerprint = key === undefined ? '' : IdempotencyCache.fingerprint(request.method, request.url, checked.body);
        if (key !== undefined) {
          const replay = idempotency.lookup(scope, key, fingerprint, Date.now());
          if (replay) return send(reply, replay, true);
        }
        const context: Context = {
          operationId,
          user,
          ...checked,
          store,
          changes,
          auth,
          startedAt,
          requestId,
          signal: longPolls ? clientGone(reply) : never,
        };
        let result: Reply;
        try {
          result = await handler(context);
        } catch (error) {
          if (!(error instanceof HttpProblem) || key === undefined || error.status >= 500) throw error;
          // A client error is the answer to this key too.
          const stored: StoredReply = {
            status: error.status,
            headers: { ...error.headers, 'content-type': 'application/problem+json' },
            body: JSON.stringify(error.toProblem(requestId, request.url)),
          };
          idempotency.remember(scope, key, fingerprint, stored, Date.now());
          return send(reply, stored, false);
        }
        if (result.stream) {
          return reply.code(result.status).header('content-type', result.stream.contentType).send(result.stream.body);
        }
        const headers: Record<string, string> = {};
        if (result.etag !== undefined) headers.etag = result.etag;
        if (result.location !== undefined) headers.location = result.location;
        const body = result.json ?? (result.body === undefined ? undefined : JSON.stringify(result.body));
        if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
        const stored: StoredReply = { status: result.status, headers, body };
        if (key !== undefined) idempotency.remember(scope, key, fingerprint, stored, Date.now());
        return send(reply, stored, false);
      },
    });
  }
  done();
};
