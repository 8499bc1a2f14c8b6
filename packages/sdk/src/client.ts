import type { components } from './generated/openapi.js';
import { MemoryTokenStore, type TokenStore, credentialPaths } from './core/auth.js';
import { type BreakerOptions, CircuitBreaker } from './core/breaker.js';
import {
  type Env,
  defaultBaseUrl,
  defaultMaxResponseBytes,
  defaultTimeoutMs,
  normalizeBaseUrl,
  parseDuration,
  processEnv,
} from './core/config.js';
import { ConfigurationError } from './core/errors.js';
import type { Hooks } from './core/hooks.js';
import type { APIPromise } from './core/api-promise.js';
import { type LogLevel, type Logger, parseLogLevel, resolveLog } from './core/logger.js';
import { callJson } from './core/operation.js';
import { type ResolvedRetryOptions, type RetryOptions, defaultRetry } from './core/retry.js';
import { Session } from './core/session.js';
import { type HttpMethod, type QueryValue, type RequestOptions, Transport, noQuery } from './core/transport.js';
import { AuthResource } from './resources/auth.js';
import { ChangesResource } from './resources/changes.js';
import { ProjectsResource } from './resources/projects.js';
import { SprintsResource } from './resources/sprints.js';
import { TasksResource } from './resources/tasks.js';

type Health = components['schemas']['Health'];

/** Options of `new DtmClient()`; every one is optional. */
export interface DtmClientOptions {
  /** The API's base URL. Default: `DTM_API_URL`, else `http://127.0.0.1:8000`. */
  baseUrl?: string;
  /** A fixed access token. Default: `DTM_TOKEN`. Ignored when `tokenStore` is given. */
  token?: string;
  /** Where tokens are kept and refreshed tokens are saved. Default: in memory. */
  tokenStore?: TokenStore;
  /** Timeout of each attempt in ms. Default: `DTM_REQUEST_TIMEOUT` (seconds, or `500ms`), else 10 000. */
  timeoutMs?: number;
  /**
   * The longest wait for the next chunk of a streamed body (`tasks.export()`, `exportCsv()`,
   * `request()`), in ms: the stream then fails with TimeoutError. Default: the call's `timeoutMs`.
   */
  streamIdleTimeoutMs?: number;
  /**
   * The largest answer read into memory, in bytes: JSON answers and `request()`; streamed
   * exports are not limited. Beyond it a call fails with ResponseTooLargeError. Default 32 MiB
   * (33 554 432); `Infinity` for no limit.
   */
  maxResponseBytes?: number;
  /**
   * Retries of failed idempotent calls: a limit, or the full policy. Default: 2 retries, of
   * connection failures and timeouts too; `{ retryUnreachable: false }` raises those at the
   * first attempt (for callers with a fallback) and still retries 408, 429 and 5xx.
   */
  retries?: number | RetryOptions;
  /** Validate every response against the contract (default true). */
  validate?: boolean;
  /** A fetch implementation, e.g. for proxies or tests. Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Observers for logging and metrics; they never see secrets. */
  hooks?: Hooks;
  /** A shared breaker, options for a new one, or false for none. Default: a new breaker. */
  breaker?: CircuitBreaker | BreakerOptions | false;
  /** Allow credentials over plain http to a host that is not this machine (default false). */
  allowInsecureHttp?: boolean;
  /** Sent as User-Agent (Node only; browsers set their own). */
  userAgent?: string;
  /** Where the `DTM_*` defaults are read from. Default: `process.env` when there is one. */
  env?: Env;
  /** The common name of `retries` as a number (the two must not disagree). */
  maxRetries?: number;
  /** Headers sent with every request (a call's own `headers` win). */
  defaultHeaders?: Record<string, string>;
  /** Query parameters sent with every request (a call's own parameters win). */
  defaultQuery?: Record<string, string>;
  /** Where log lines go (e.g. `console` or a pino logger). Default: `console`. */
  logger?: Logger;
  /** How much is logged. Default: `DTM_LOG`, else `warn`. */
  logLevel?: LogLevel;
}

/** What `withOptions` may change: everything but the server, the tokens and the breaker, which the derived client shares. */
export type DerivedClientOptions = Omit<DtmClientOptions, 'baseUrl' | 'token' | 'tokenStore' | 'breaker' | 'env'>;

/** The session a derived client shares with its parent (not part of the public options). */
const parentSession = Symbol('parentSession');
type InternalOptions = DtmClientOptions & { [parentSession]?: Session };

/** A raw request through the client's transport: auth, retries, hooks and all. */
export interface RawRequest {
  /** The HTTP method. */
  method: HttpMethod;
  /** A path below the base URL, starting with `/`; may carry its own query string. */
  path: string;
  /** Query parameters to add; arrays are sent comma-separated, undefined values are left out. */
  query?: Record<string, QueryValue | undefined>;
  /** A body to send as JSON; none when undefined. */
  body?: unknown;
  /** Send the bearer token (default true). */
  secured?: boolean;
}

/** What `client.request()` resolves with, for a 2xx answer; any other status throws an `ApiError`. */
export interface RawResponse {
  /** The HTTP status, always 2xx. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The parsed JSON body; the text when the body is not JSON; undefined when it is empty. */
  data: unknown;
  /** The `X-Request-Id` the request was sent with. */
  requestId: string;
}

/**
 * The DTM API client: one resource object per area of the API, one method per operation.
 * @example
 * import { DtmClient } from '@dtm/sdk';
 * const client = new DtmClient({ baseUrl: 'http://127.0.0.1:8000' });
 * await client.auth.login({ username: 'demo', password });
 * for await (const task of client.tasks.listAll({ status: ['pending'] })) console.log(task.title);
 */
export class DtmClient {
  /** Log in and out, refresh tokens, the current user. */
  readonly auth: AuthResource;
  /** Tasks: list, create, read, change, complete, delete, history, bulk changes and export. */
  readonly tasks: TasksResource;
  /** Projects and their task summaries. */
  readonly projects: ProjectsResource;
  /** Sprints: their life cycle, their tasks and their burndown. */
  readonly sprints: SprintsResource;
  /** The change feed, to keep a local copy up to date. */
  readonly changes: ChangesResource;
  /** The API's base URL in use, without a trailing slash. */
  readonly baseUrl: string;
  /** Where this client keeps its tokens (the one given, or an in-memory store). */
  readonly tokenStore: TokenStore;
  /** The circuit breaker in use, to read or persist its state. */
  readonly breaker: CircuitBreaker | undefined;
  readonly #transport: Transport;
  readonly #options: InternalOptions;
  readonly #session: Session;

  constructor(options: DtmClientOptions = {}) {
    this.#options = options;
    const env = options.env ?? processEnv();
    this.baseUrl = normalizeBaseUrl(
      options.baseUrl ?? env.DTM_API_URL ?? defaultBaseUrl,
      options.baseUrl ? 'baseUrl' : env.DTM_API_URL ? 'DTM_API_URL' : 'the default base URL',
    );
    const timeoutMs =
      options.timeoutMs ??
      (env.DTM_REQUEST_TIMEOUT ? parseDuration(env.DTM_REQUEST_TIMEOUT, 'DTM_REQUEST_TIMEOUT') : defaultTimeoutMs);
    const { streamIdleTimeoutMs, maxResponseBytes = defaultMaxResponseBytes } = options;
    requirePositive('timeoutMs', timeoutMs);
    if (streamIdleTimeoutMs !== undefined) requirePositive('streamIdleTimeoutMs', streamIdleTimeoutMs);
    requirePositive('maxResponseBytes', maxResponseBytes);
    const token = options.token ?? env.DTM_TOKEN;
    this.tokenStore = options.tokenStore ?? new MemoryTokenStore(token ? { accessToken: token } : undefined);
    this.breaker =
      options.breaker === false
        ? undefined
        : options.breaker instanceof CircuitBreaker
          ? options.breaker
          : new CircuitBreaker(options.breaker);
    const retry = resolveRetry(options);
    const session = (options as InternalOptions)[parentSession] ?? new Session(this.tokenStore);
    this.#session = session;
    const logLevel = options.logLevel ?? (env.DTM_LOG ? parseLogLevel(env.DTM_LOG, 'DTM_LOG') : 'warn');
    const fetchImplementation = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#transport = new Transport({
      baseUrl: this.baseUrl,
      fetch: fetchImplementation,
      timeoutMs,
      streamIdleTimeoutMs,
      maxResponseBytes,
      retry,
      validate: options.validate ?? true,
      hooks: options.hooks ?? {},
      breaker: this.breaker,
      session,
      allowInsecureHttp: options.allowInsecureHttp ?? false,
      userAgent: options.userAgent,
      defaultHeaders: options.defaultHeaders ?? {},
      defaultQuery: options.defaultQuery ?? noQuery,
      log: resolveLog(options.logger ?? console, logLevel),
    });
    this.auth = new AuthResource(this.#transport, session);
    this.tasks = new TasksResource(this.#transport);
    this.projects = new ProjectsResource(this.#transport);
    this.sprints = new SprintsResource(this.#transport);
    this.changes = new ChangesResource(this.#transport);
  }

  /**
   * A client with some options changed (timeouts, retries, headers, logging…) that shares
   * this one's server, tokens, token refresh and circuit breaker.
   * @example
   * const patient = client.withOptions({ timeoutMs: 60_000, maxRetries: 5 });
   * await patient.tasks.bulk(request);
   */
  withOptions(options: DerivedClientOptions): DtmClient {
    const { retries, maxRetries, ...rest } = this.#options;
    const keepsRetries = options.retries === undefined && options.maxRetries === undefined;
    const derived: InternalOptions = {
      ...rest,
      ...(keepsRetries ? { retries, maxRetries } : {}),
      ...options,
      tokenStore: this.tokenStore,
      breaker: this.breaker ?? false,
      [parentSession]: this.#session,
    };
    return new DtmClient(derived);
  }

  /**
   * Reports server health. A server that is down answers 503 with a body: that resolves
   * with `status: 'down'` rather than throwing.
   * @example
   * const { status, version } = await client.health({ timeoutMs: 2000 });
   */
  health(options?: RequestOptions): APIPromise<Health> {
    return callJson(this.#transport, 'getHealth', { method: 'GET', path: '/health', secured: false, alsoOk: [503], options });
  }

  /**
   * Sends any request to the API, like `gh api`: for operations this SDK has no method for
   * yet. The answer is parsed but not validated. Its body is bounded like a stream's (the
   * idle timeout, the signal) and by `maxResponseBytes`.
   * @example
   * const { data } = await client.request({ method: 'GET', path: '/api/v1/tasks', query: { limit: 5 } });
   */
  async request(raw: RawRequest, options?: RequestOptions): Promise<RawResponse> {
    if (!raw.path.startsWith('/')) throw new ConfigurationError(`request path must start with "/", got "${raw.path}"`, '');
    const result = await this.#transport.call({
      operation: `${raw.method} ${raw.path}`,
      method: raw.method,
      path: raw.path,
      query: raw.query,
      body: raw.body,
      secured: raw.secured ?? true,
      sendsCredentials: credentialPaths.has(new URL(raw.path, 'http://path.invalid').pathname.replace(/\/+$/, '')),
      idempotent: true,
      expect: 'stream',
      sizeLimited: true,
      options,
    });
    // The body stream enforces the limits; Response only decodes it.
    const text = result.body ? await new Response(result.body).text() : '';
    let data: unknown;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    return { status: result.status, headers: result.headers, data, requestId: result.requestId };
  }
}

/** `retries` (a number or a policy) and its common name `maxRetries`, which must agree. */
function resolveRetry({ retries, maxRetries }: DtmClientOptions): ResolvedRetryOptions {
  const limit = typeof retries === 'number' ? retries : retries?.limit;
  if (maxRetries !== undefined && limit !== undefined && maxRetries !== limit) {
    throw new ConfigurationError(`maxRetries (${maxRetries}) and retries (${limit}) disagree; give one of them`, '');
  }
  const policy = typeof retries === 'object' ? retries : {};
  return { ...defaultRetry, ...policy, limit: maxRetries ?? limit ?? defaultRetry.limit };
}

function requirePositive(name: string, value: number): void {
  if (!(value > 0)) throw new ConfigurationError(`${name} must be greater than zero, got ${value}`, '');
}
