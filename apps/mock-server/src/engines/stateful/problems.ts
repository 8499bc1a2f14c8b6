import type { FieldError, Problem } from './types.js';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
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
  const title = titles[status] ?? 'Error';
  return {
    type: `https://dtm.example/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
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
