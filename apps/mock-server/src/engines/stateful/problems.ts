import type { FieldError, Problem } from './types.js';

/** Title and `type` (as in the contract's examples) per status. */
const kinds: Record<number, [title: string, type: string]> = {
  400: ['Bad Request', 'malformed-request'],
  401: ['Unauthorized', 'unauthorized'],
  403: ['Forbidden', 'forbidden'],
  404: ['Not Found', 'not-found'],
  405: ['Method Not Allowed', 'method-not-allowed'],
  408: ['Request Timeout', 'request-timeout'],
  409: ['Conflict', 'conflict'],
  410: ['Gone', 'cursor-expired'],
  412: ['Precondition Failed', 'precondition-failed'],
  413: ['Content Too Large', 'content-too-large'],
  414: ['URI Too Long', 'uri-too-long'],
  415: ['Unsupported Media Type', 'unsupported-media-type'],
  422: ['Unprocessable Content', 'validation-failed'],
  429: ['Too Many Requests', 'rate-limited'],
  431: ['Request Header Fields Too Large', 'headers-too-large'],
  500: ['Internal Server Error', 'internal'],
  502: ['Bad Gateway', 'bad-gateway'],
  503: ['Service Unavailable', 'unavailable'],
};

/** An RFC 9457 problem the server answers with; thrown by handlers, rendered by the app. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  toProblem(requestId: string, instance?: string): Problem {
    return problem(this.status, this.message, requestId, { errors: this.errors, instance });
  }
}

export function problem(
  status: number,
  detail: string,
  requestId: string,
  extra: { errors?: FieldError[] | undefined; instance?: string | undefined } = {},
): Problem {
  const [title, kind] = kinds[status] ?? ['Error', 'error'];
  return {
    type: `urn:dtm:problem:${kind}`,
    title,
    status,
    detail,
    ...(extra.instance === undefined ? {} : { instance: extra.instance }),
    request_id: requestId,
    ...(extra.errors === undefined ? {} : { errors: extra.errors }),
  };
}

export const notFound = (kind: string, id: string): HttpProblem =>
  new HttpProblem(404, `No ${kind} with id ${id}. List them to see which ids exist.`);

export const conflict = (detail: string): HttpProblem => new HttpProblem(409, detail);

export const invalid = (field: string, message: string): HttpProblem =>
  new HttpProblem(422, `The request is not valid: ${field} ${message}.`, { errors: [{ field, message }] });

/** An injected fault's answer, with the headers the contract gives that status (Retry-After, WWW-Authenticate). */
export function injectedProblem(status: number, detail: string): HttpProblem {
  const headers: Record<string, string> =
    status === 429 || status === 503
      ? { 'retry-after': '1' }
      : status === 401
        ? { 'www-authenticate': 'Bearer realm="dtm", error="invalid_token", error_description="injected fault"' }
        : {};
  // A 422 names its fields (ValidationProblem); an injected one has no field to blame but the request.
  const errors = status === 422 ? [{ field: 'request', message: 'was rejected by an injected fault' }] : undefined;
  return new HttpProblem(status, detail, { headers, errors });
}
