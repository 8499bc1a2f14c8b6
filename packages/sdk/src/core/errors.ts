import type { components } from '../generated/openapi.js';

type Problem = components['schemas']['Problem'];
type FieldError = components['schemas']['FieldError'];

// A brand that survives duplicate copies of the SDK (ESM and CJS loaded side by side),
// where `instanceof` would fail.
const brand = Symbol.for('@dtm/sdk/error');

/** Where an error happened: enough to find the request in the server's logs. */
export interface ErrorContext {
  /** The operationId of the call, e.g. `getTask`. */
  readonly operation: string;
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** The full URL of the request, query string included. */
  readonly url: string;
  /** The `X-Request-Id` sent with the request. */
  readonly requestId: string;
}

/** The base class of every error the SDK throws. */
export class DtmError extends Error {
  /** The class of the error, e.g. `NotFoundError`; the `is…Error` guards test it, so they work across copies of the SDK. */
  override readonly name: string = 'DtmError';
  /** What to do about it, in one sentence. */
  readonly hint: string;

  constructor(message: string, hint: string, options?: ErrorOptions) {
    super(hint ? `${message}. ${hint}` : message, options);
    this.hint = hint;
    Object.defineProperty(this, brand, { value: true });
  }
}

/** The server answered with an error status. */
export class ApiError extends DtmError {
  /** `ApiError`, or the name of the subclass for the status. */
  override readonly name: string = 'ApiError';
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The parsed `application/problem+json` body (synthesised when the server sent none). */
  readonly problem: Problem;
  /** The server's request id: from the problem body, the response header, or the one sent. */
  readonly requestId: string;
  /** The operationId of the call, e.g. `getTask`. */
  readonly operation: string;
  /** The HTTP method, e.g. `GET`. */
  readonly method: string;
  /** The full URL of the request, query string included. */
  readonly url: string;
  /** The response headers. */
  readonly headers: Headers;

  constructor(status: number, problem: Problem, headers: Headers, context: ErrorContext, hint: string) {
    const detail = problem.detail ? `: ${problem.detail}` : '';
    const requestId = problem.request_id ?? headers.get('x-request-id') ?? context.requestId;
    super(`${context.operation} failed with ${status} ${problem.title}${detail} (request ${requestId})`, hint);
    this.status = status;
    this.problem = problem;
    this.requestId = requestId;
    this.operation = context.operation;
    this.method = context.method;
    this.url = context.url;
    this.headers = headers;
  }
}

/** 400: the server could not read the request, for example a body that is not JSON. */
export class BadRequestError extends ApiError {
  /** Always `BadRequestError`. */
  override readonly name = 'BadRequestError';
}

/** 401: the credentials are missing, expired or revoked (the client has already tried one refresh when it could), or a login was refused. */
export class AuthenticationError extends ApiError {
  /** Always `AuthenticationError`. */
  override readonly name = 'AuthenticationError';
}

/** 403: the user may not do this. */
export class PermissionDeniedError extends ApiError {
  /** Always `PermissionDeniedError`. */
  override readonly name = 'PermissionDeniedError';
}

/** 404: there is no such resource. */
export class NotFoundError extends ApiError {
  /** Always `NotFoundError`. */
  override readonly name = 'NotFoundError';
}

/** 409: the request conflicts with the current state, for example a second active sprint in a project, or an Idempotency-Key whose first request is still running. */
export class ConflictError extends ApiError {
  /** Always `ConflictError`. */
  override readonly name = 'ConflictError';
}

/**
 * 410 from the change feed: the server cannot serve this cursor (it restarted without its
 * data, or the cursor is malformed). Read the feed again from the beginning, without a cursor.
 */
export class CursorExpiredError extends ApiError {
  /** Always `CursorExpiredError`. */
  override readonly name = 'CursorExpiredError';
}

/** 412: the `ifMatch` version is stale; the resource changed since it was read. */
export class PreconditionFailedError extends ApiError {
  /** Always `PreconditionFailedError`. */
  override readonly name = 'PreconditionFailedError';
  /** The resource's current ETag, when the server sent it. */
  get currentEtag(): string | undefined {
    return this.headers.get('etag') ?? undefined;
  }
}

/** 422: the request breaks the rules of the contract; `fieldErrors` names each invalid field. */
export class ValidationError extends ApiError {
  /** Always `ValidationError`. */
  override readonly name = 'ValidationError';
  /** One entry per invalid field. */
  get fieldErrors(): readonly FieldError[] {
    return this.problem.errors ?? [];
  }
}

/** 429: too many requests; `retryAfterMs` says how long to wait. */
export class RateLimitError extends ApiError {
  /** Always `RateLimitError`. */
  override readonly name = 'RateLimitError';
  /** How long the server asked us to wait, from `Retry-After`. */
  readonly retryAfterMs: number | undefined;
  constructor(status: number, problem: Problem, headers: Headers, context: ErrorContext, hint: string) {
    super(status, problem, headers, context, hint);
    this.retryAfterMs = parseRetryAfter(headers.get('retry-after'));
  }
}

/** 5xx: the server failed. The request id identifies the failure in the server logs. */
export class ServerError extends ApiError {
  /** Always `ServerError`. */
  override readonly name = 'ServerError';
}

/** The server could not be reached, or the connection broke before a full answer. */
export class ConnectionError extends DtmError {
  /** Always `ConnectionError`. */
  override readonly name = 'ConnectionError';
  /** The system error code, such as `ECONNREFUSED`, when there is one. */
  readonly code: string | undefined;
  constructor(
    /** The call that failed. */
    readonly context: ErrorContext,
    cause: unknown,
  ) {
    const code = systemErrorCode(cause);
    super(
      `${context.operation}: cannot reach the DTM API at ${new URL(context.url).origin}${code ? ` (${code})` : ''}`,
      'Check that the server is running and that the base URL is right',
      { cause },
    );
    this.code = code;
  }
}

/** No complete answer within the attempt's time (and no retry was left), or a streamed body that went idle. */
export class TimeoutError extends DtmError {
  /** Always `TimeoutError`. */
  override readonly name = 'TimeoutError';
  constructor(
    /** The call that timed out. */
    readonly context: ErrorContext,
    /** The timeout of the attempt, in ms. */
    readonly timeoutMs: number,
    /** True when the answer had begun and then no chunk of its body came for `timeoutMs` (`streamIdleTimeoutMs`). */
    readonly idle = false,
  ) {
    const origin = new URL(context.url).origin;
    super(
      idle
        ? `${context.operation}: the stream from ${origin} went idle: no data for ${timeoutMs} ms (request ${context.requestId})`
        : `${context.operation}: no answer from ${origin} within ${timeoutMs} ms`,
      idle
        ? 'The server stopped sending; retry later, or raise streamIdleTimeoutMs'
        : 'The server may be overloaded; retry later or raise the timeout',
    );
  }
}

/**
 * The answer is larger than the client reads into memory (`maxResponseBytes`): announced so
 * by its Content-Length, or found so while reading. The download is stopped; not retried.
 */
export class ResponseTooLargeError extends DtmError {
  /** Always `ResponseTooLargeError`. */
  override readonly name = 'ResponseTooLargeError';
  constructor(
    /** The call whose answer was refused. */
    readonly context: ErrorContext,
    /** The client's `maxResponseBytes`. */
    readonly limitBytes: number,
    /** The size the server announced in Content-Length, when it sent one. */
    readonly announcedBytes: number | undefined,
  ) {
    super(
      `${context.operation}: the answer was larger than ${formatBytes(limitBytes)}` +
        `${announcedBytes === undefined ? '' : ` (Content-Length: ${announcedBytes} bytes)`} (request ${context.requestId})`,
      'Ask for less (filters, a smaller limit), stream it (tasks.export), or raise maxResponseBytes',
    );
  }
}

/** The caller aborted the request through its AbortSignal. */
export class RequestAbortedError extends DtmError {
  /** Always `RequestAbortedError`. */
  override readonly name = 'RequestAbortedError';
  constructor(
    /** The call that was aborted. */
    readonly context: ErrorContext,
    cause: unknown,
  ) {
    super(`${context.operation}: aborted by the caller`, '', { cause });
  }
}

/** The circuit breaker is open: recent calls failed, so this one was not sent. */
export class CircuitOpenError extends DtmError {
  /** Always `CircuitOpenError`. */
  override readonly name = 'CircuitOpenError';
  constructor(
    /** The operationId of the call that was not sent. */
    readonly operation: string,
    /** When the breaker lets a trial request through (epoch ms). */
    readonly retryAt: number,
  ) {
    super(
      `${operation}: not sent, the DTM API failed repeatedly and is treated as down`,
      `The next attempt goes through after ${new Date(retryAt).toISOString()}`,
    );
  }
}

/** The server's answer does not match the contract. */
export class ResponseValidationError extends DtmError {
  /** Always `ResponseValidationError`. */
  override readonly name = 'ResponseValidationError';
  constructor(
    /** The call whose answer is invalid. */
    readonly context: ErrorContext,
    /** The HTTP status of the invalid answer. */
    readonly status: number,
    /** Where in the body the first problem is, e.g. `items.3.status` (empty for the whole body). */
    readonly path: string,
    /** What is wrong there, e.g. `expected JSON, got "text/html"`. */
    readonly reason: string,
  ) {
    super(
      `${context.operation}: the server's ${status} response is not valid${path ? ` at ${path}` : ''}: ${reason} (request ${context.requestId})`,
      'The server does not follow the DTM API contract; report it with the request id',
    );
  }
}

/** Credentials would have crossed the network in clear text. */
export class InsecureTransportError extends DtmError {
  /** Always `InsecureTransportError`. */
  override readonly name = 'InsecureTransportError';
  constructor(
    /** The URL the request would have gone to. */
    readonly url: string,
  ) {
    super(
      `Refusing to send credentials over plain http to ${new URL(url).host}`,
      'Use https, or pass allowInsecureHttp: true if this network is trusted',
    );
  }
}

/** The client was configured with a value it cannot use. */
export class ConfigurationError extends DtmError {
  /** Always `ConfigurationError`. */
  override readonly name = 'ConfigurationError';
}

const hints: Record<number, string> = {
  400: 'The request could not be read; this is likely a bug in the caller',
  401: 'Log in again, or check the access token',
  403: 'Ask an administrator for access',
  404: 'Check the id; the resource may have been deleted',
  409: 'Fetch the current state and try again',
  410: 'Read the change feed again from the beginning (no cursor) and replace the local copy with it',
  412: 'The resource changed since it was read; fetch it again and reapply the change',
  413: 'The request body is too large for the server; send fewer or smaller records per request',
  415: 'The server takes JSON bodies only; this is likely a bug in the caller',
  422: 'Fix the fields listed in the error and try again',
  429: 'Wait for the time in Retry-After, then try again',
};

/** Builds the error class that matches an HTTP status. */
export function errorFromResponse(status: number, problem: Problem, headers: Headers, context: ErrorContext): ApiError {
  const hint = hints[status] ?? (status >= 500 ? 'The server failed; retry later, and report the request id if it persists' : '');
  const classes: Record<number, typeof ApiError> = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: CursorExpiredError,
    412: PreconditionFailedError,
    422: ValidationError,
    429: RateLimitError,
  };
  const ErrorClass = classes[status] ?? (status >= 500 ? ServerError : ApiError);
  return new ErrorClass(status, problem, headers, context, hint);
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `33554432` → `32 MiB`, `1536` → `1.5 KiB`. */
function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  }
  return `${bytes} bytes`;
}

function systemErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== 'object') return undefined;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}

function hasName(error: unknown, names: readonly string[]): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    brand in error &&
    names.includes((error as { name?: unknown }).name as string)
  );
}

const apiErrorNames = [
  'ApiError',
  'BadRequestError',
  'AuthenticationError',
  'PermissionDeniedError',
  'NotFoundError',
  'ConflictError',
  'CursorExpiredError',
  'PreconditionFailedError',
  'ValidationError',
  'RateLimitError',
  'ServerError',
];

/** True for any error the SDK throws, also one from another copy of the SDK (ESM and CJS side by side), where `instanceof` fails. */
export const isDtmError = (error: unknown): error is DtmError =>
  typeof error === 'object' && error !== null && brand in error;
/** True for an `ApiError` of any status: the server answered with an error. */
export const isApiError = (error: unknown): error is ApiError => hasName(error, apiErrorNames);
/** True for a `BadRequestError` (400). */
export const isBadRequestError = (error: unknown): error is BadRequestError => hasName(error, ['BadRequestError']);
/** True for an `AuthenticationError` (401). */
export const isAuthenticationError = (error: unknown): error is AuthenticationError =>
  hasName(error, ['AuthenticationError']);
/** True for a `PermissionDeniedError` (403). */
export const isPermissionDeniedError = (error: unknown): error is PermissionDeniedError =>
  hasName(error, ['PermissionDeniedError']);
/** True for a `NotFoundError` (404). */
export const isNotFoundError = (error: unknown): error is NotFoundError => hasName(error, ['NotFoundError']);
/** True for a `ConflictError` (409). */
export const isConflictError = (error: unknown): error is ConflictError => hasName(error, ['ConflictError']);
/** True for a `CursorExpiredError` (410). */
export const isCursorExpiredError = (error: unknown): error is CursorExpiredError => hasName(error, ['CursorExpiredError']);
/** True for a `PreconditionFailedError` (412). */
export const isPreconditionFailedError = (error: unknown): error is PreconditionFailedError =>
  hasName(error, ['PreconditionFailedError']);
/** True for a `ValidationError` (422). */
export const isValidationError = (error: unknown): error is ValidationError => hasName(error, ['ValidationError']);
/** True for a `RateLimitError` (429). */
export const isRateLimitError = (error: unknown): error is RateLimitError => hasName(error, ['RateLimitError']);
/** True for a `ServerError` (5xx). */
export const isServerError = (error: unknown): error is ServerError => hasName(error, ['ServerError']);
/** True for a `ConnectionError`. */
export const isConnectionError = (error: unknown): error is ConnectionError => hasName(error, ['ConnectionError']);
/** True for a `TimeoutError`. */
export const isTimeoutError = (error: unknown): error is TimeoutError => hasName(error, ['TimeoutError']);
/** True for a `RequestAbortedError`. */
export const isRequestAbortedError = (error: unknown): error is RequestAbortedError =>
  hasName(error, ['RequestAbortedError']);
/** True for a `ResponseTooLargeError`. */
export const isResponseTooLargeError = (error: unknown): error is ResponseTooLargeError =>
  hasName(error, ['ResponseTooLargeError']);
/** True for a `CircuitOpenError`. */
export const isCircuitOpenError = (error: unknown): error is CircuitOpenError => hasName(error, ['CircuitOpenError']);
/** True for a `ResponseValidationError`. */
export const isResponseValidationError = (error: unknown): error is ResponseValidationError =>
  hasName(error, ['ResponseValidationError']);
/** True for an `InsecureTransportError`. */
export const isInsecureTransportError = (error: unknown): error is InsecureTransportError =>
  hasName(error, ['InsecureTransportError']);
/** True for failures where the server was not reached or did not answer: the CLI's cue to go offline. */
export const isUnreachableError = (error: unknown): boolean =>
  hasName(error, ['ConnectionError', 'TimeoutError', 'CircuitOpenError']);
