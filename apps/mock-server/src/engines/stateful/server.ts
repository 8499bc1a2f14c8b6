import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { type FaultPlan, type Faults, RateLimiter, decide, noFaults, parseFaultPlan, parseFaults, seededRandom } from '../../faults.js';
import { findSpecPath } from '../../spec.js';
import type { MockUser } from './auth.js';
import type { Context, Handler, Reply } from './handlers/context.js';
import { handlers } from './handlers/index.js';
import { IdempotencyCache, type StoredReply } from './idempotency.js';
import { type LoadedContract, adoptContract, loadLiveContract, watchContract } from './live-contract.js';
import { HttpProblem, injectedProblem } from './problems.js';
import { RequestLog, logEntry } from './request-log.js';
import { registerRequestLogRoutes } from './request-log-routes.js';
import { openState } from './state.js';
import type { OperationId, User } from './types.js';
import type { RequestChecker } from './validation.js';

export interface MockServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Demo tasks to seed when there is no data file yet (default 300). */
  tasks?: number;
  /** Seed of the demo data's random choices (default 1). */
  seed?: number;
  /**
   * Who can log in. Default: one admin, `demo`, whose password is `DTM_MOCK_PASSWORD`
   * or, when that is unset, generated (and reported in `generatedPassword`).
   */
  users?: MockUser[];
  /** Access token lifetime in seconds (default 900). */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime in seconds (default 7 days). */
  refreshTokenTtlSeconds?: number;
  /** JWT signing key; default `DTM_MOCK_JWT_SECRET`, else the one kept in `dataFile`, else random. */
  jwtSecret?: string;
  /**
   * Keep the data in this JSON file: loaded at start, saved atomically after each change, with
   * the sessions and the generated password and JWT key. Without it (the default) nothing is kept.
   */
  dataFile?: string;
  /** Faults to inject from the start (all off by default). */
  faults?: Partial<Faults>;
  /** Seed of the faults' random choices (errorRate, dropRate, jitter), so a run can be replayed; default random. */
  faultSeed?: number;
  /** The contract to serve (default: the openapi.yaml found next to the package). */
  specPath?: string;
  /** Reload the contract's request checks when the spec file changes (default false). */
  watch?: boolean;
  /** Print one line per request (method, path, status, time; never headers or bodies). */
  log?: (line: string) => void;
  /** The clock, for tests. */
  now?: () => Date;
}

export interface RunningMockServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly port: number;
  /** The users who can log in, with their passwords. */
  readonly users: readonly MockUser[];
  /** The demo user's password when it was generated: for this start, or kept in `dataFile` from an earlier one. */
  readonly generatedPassword: string | undefined;
  /** True when the data came from an existing `dataFile` (`tasks` and `seed` were not used). */
  readonly dataFileLoaded: boolean;
  /** How many tasks the server holds right now. */
  taskCount(): number;
  /** How many listChanges long-polls are waiting for a change right now. */
  longPolls(): number;
  /** How many times `watch` reloaded the contract since the start. */
  contractReloads(): number;
  /** The faults in force. */
  faults(): Faults;
  /** Changes some faults; `down: true` stops listening (connections are refused) until `down: false`. */
  setFaults(faults: Partial<Faults>): Promise<void>;
  /** Writes pending changes to the data file, if there is one. */
  flush(): Promise<void>;
  /** Saves, closes every connection and stops listening. Safe to call more than once. */
  stop(): Promise<void>;
}

const adminPrefix = '/__admin';
const maxDownMs = 600_000;

function requestIdOf(request: FastifyRequest): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : `req_${randomUUID()}`;
}

function sendProblem(reply: FastifyReply, error: HttpProblem, requestId: string, instance: string): FastifyReply {
  return reply
    .code(error.status)
    .headers(error.headers)
    .header('content-type', 'application/problem+json')
    .send(JSON.stringify(error.toProblem(requestId, instance)));
}

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

/**
 * Starts the stateful DTM mock: every operation of openapi.yaml with real semantics,
 * real JWT auth, demo data, optional persistence and fault injection.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const now = options.now ?? (() => new Date());
  const specPath = options.specPath ?? findSpecPath();
  let contract: LoadedContract = loadLiveContract(specPath);

  const { store, changes, auth, users, generatedPassword, dataFileLoaded, saver } = await openState(options, now);

  const idempotency = new IdempotencyCache();
  const limiter = new RateLimiter();
  const random = options.faultSeed === undefined ? Math.random : seededRandom(options.faultSeed);
  const requests = new RequestLog();
  let faults: Faults = { ...noFaults, ...parseFaults(options.faults ?? {}) };
  const startedAt = Date.now();
  const sockets = new Set<Socket>();
  let server!: Server;
  const app = Fastify({
    bodyLimit: 10 * 1024 * 1024,
    serverFactory: (handler) => {
      server = createServer((request: IncomingMessage, response: ServerResponse) => {
        handler(request, response);
      });
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      return server;
    },
  });

  app.decorateRequest('requestId', '');
  app.decorateRequest('faultPlan', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const requestId = requestIdOf(request);
    (request as FastifyRequest & { requestId: string }).requestId = requestId;
    void reply.header('x-request-id', requestId);
    if (request.url.startsWith(adminPrefix)) return;
    const operationId = (request.routeOptions.config as { operationId?: string }).operationId;
    let plan: FaultPlan | undefined;
    try {
      plan = parseFaultPlan(request.headers, operationId === undefined ? undefined : contract.statuses.get(operationId));
    } catch (error) {
      return sendProblem(reply, new HttpProblem(400, (error as Error).message), requestId, request.url);
    }
    (request as FastifyRequest & { faultPlan?: FaultPlan }).faultPlan = plan;
    const decision = decide(faults, plan, random);
    if (decision.drop) {
      requests.record(logEntry(request, null, 0, plan));
      request.raw.socket.destroy();
      reply.hijack();
      return;
    }
    if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    if (faults.rateLimit > 0) {
      const wait = limiter.take(faults.rateLimit, Date.now());
      if (wait > 0) {
        const limited = new HttpProblem(429, `Rate limit of ${faults.rateLimit} requests per second reached; retry after ${wait} s.`, {
          headers: { 'retry-after': String(wait) },
        });
        return sendProblem(reply, limited, requestId, request.url);
      }
    }
    if (decision.error) return sendProblem(reply, injectedProblem(decision.error.status, decision.error.detail), requestId, request.url);
  });

  const log = options.log;
  app.addHook('onResponse', async (request, reply) => {
    log?.(`${request.method} ${request.url.split('?')[0] ?? ''} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
    if (request.url.startsWith(adminPrefix)) return;
    const plan = (request as FastifyRequest & { faultPlan?: FaultPlan }).faultPlan;
    requests.record(logEntry(request, reply.statusCode, reply.elapsedTime, plan));
  });

  app.setErrorHandler((error, request, reply) => {
    const requestId = (request as FastifyRequest & { requestId: string }).requestId;
    const known = error instanceof HttpProblem ? error : frameworkProblem(error as { statusCode?: number; code?: string; message: string });
    if (known.status >= 500 && !(error instanceof HttpProblem)) process.stderr.write(`dtm-mock: ${String(error)}\n`);
    return sendProblem(reply, known, requestId, request.url);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new HttpProblem(404, `${request.method} ${request.url.split('?')[0] ?? ''} is not an operation of the DTM API.`),
      (request as FastifyRequest & { requestId: string }).requestId,
      request.url,
    ),
  );

  for (const operation of contract.operations) {
    const operationId = operation.operationId as OperationId;
    const handler = (handlers as Partial<Record<string, Handler>>)[operationId];
    if (!handler || !contract.checkers.has(operationId)) {
      throw new Error(`openapi.yaml has ${operationId}, which the stateful mock does not implement`);
    }
    const takesKey = operation.parameters.some((parameter) => parameter.name === 'Idempotency-Key');
    const writes = operation.method !== 'GET';
    app.route({
      method: operation.method,
      url: operation.path.replace(/\{(\w+)\}/g, ':$1'),
      config: { operationId },
      handler: async (request, reply) => {
        const requestId = (request as FastifyRequest & { requestId: string }).requestId;
        let user: User | undefined;
        if (operation.secured) {
          user = await auth.authenticate(request.headers.authorization);
          if (writes && operationId !== 'logout' && !user.roles.some((role) => role !== 'viewer')) {
            throw new HttpProblem(403, `${user.username} may only read (role viewer); ${operationId} changes data.`);
          }
        }
        // Looked up per request: `watch` swaps the contract while the server runs.
        const check = contract.checkers.get(operationId) as RequestChecker;
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
        // The response closes early only when the client goes away: that ends a long-poll.
        const gone = new AbortController();
        reply.raw.once('close', () => {
          gone.abort();
        });
        const context: Context = { operationId, user, ...checked, store, changes, auth, startedAt, requestId, signal: gone.signal };
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
        if (result.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
        const stored: StoredReply = {
          status: result.status,
          headers,
          body: result.body === undefined ? undefined : JSON.stringify(result.body),
        };
        if (key !== undefined) idempotency.remember(scope, key, fingerprint, stored, Date.now());
        return send(reply, stored, false);
      },
    });
  }

  function send(reply: FastifyReply, stored: StoredReply, replayed: boolean): FastifyReply {
    void reply.code(stored.status).headers(stored.headers);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return stored.body === undefined ? reply.send() : reply.send(stored.body);
  }

  // ---- admin: outside the contract ------------------------------------------
  registerRequestLogRoutes(app, adminPrefix, requests);
  let upTimer: NodeJS.Timeout | undefined;
  app.get(`${adminPrefix}/faults`, (_request, reply) => reply.send(faults));
  app.put(`${adminPrefix}/faults`, async (request, reply) => {
    const body: unknown = request.body ?? {};
    // A list or a scalar goes to parseFaults whole, which answers that it must be an object.
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    const { downForMs, ...rest } = isObject ? (body as Record<string, unknown>) : {};
    let change: Partial<Faults>;
    try {
      change = parseFaults(isObject ? rest : body);
      if (change.down === true && (typeof downForMs !== 'number' || !(downForMs > 0 && downForMs <= maxDownMs))) {
        throw new Error(`"down": true needs "downForMs" from 1 to ${maxDownMs}: over HTTP, the server must come back by itself`);
      }
    } catch (error) {
      const requestId = (request as FastifyRequest & { requestId: string }).requestId;
      return sendProblem(reply, new HttpProblem(400, (error as Error).message), requestId, request.url);
    }
    if (change.down === true) {
      const { down: _down, ...others } = change;
      faults = { ...faults, ...others };
      // Answer first, then go down.
      void reply.code(202).send({ ...faults, down: true, downForMs });
      setImmediate(() => {
        void running.setFaults({ down: true }).then(() => {
          upTimer = setTimeout(() => void running.setFaults({ down: false }), downForMs as number);
        });
      });
      return reply;
    }
    faults = { ...faults, ...change };
    return faults;
  });
  app.delete(`${adminPrefix}/faults`, (_request, reply) => {
    faults = { ...noFaults };
    return reply.send(faults);
  });

  const report = (line: string): void => void process.stderr.write(`dtm-mock: ${line}\n`);
  const watcher = options.watch
    ? watchContract(specPath, (next) => (contract = adoptContract(contract, next, report)), report)
    : undefined;

  await app.ready();
  const host = options.host ?? '127.0.0.1';
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const closeListener = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => {
        resolve();
      });
      for (const socket of sockets) socket.destroy();
    });

  let stopping: Promise<void> | undefined;
  const running: RunningMockServer = {
    url: `http://${urlHost}:${port}`,
    port,
    users,
    generatedPassword,
    dataFileLoaded,
    taskCount: () => store.taskCount,
    longPolls: () => changes.waiting,
    contractReloads: () => watcher?.reloads ?? 0,
    faults: () => ({ ...faults }),
    async setFaults(change) {
      const next = { ...faults, ...parseFaults(change) };
      const wasDown = faults.down;
      faults = next;
      if (next.down && !wasDown) await closeListener();
      if (!next.down && wasDown && !stopping) {
        clearTimeout(upTimer);
        await listen(port);
      }
    },
    flush: async () => saver?.flush(),
    stop() {
      stopping ??= (async () => {
        clearTimeout(upTimer);
        watcher?.close();
        await closeListener();
        await app.close();
        await saver?.flush();
      })();
      return stopping;
    },
  };
  if (faults.down) {
    faults = { ...faults, down: false };
    await running.setFaults({ down: true });
  }
  return running;
}
