import type { ContractOperation } from './operations.js';

export interface ExampleRequest {
  readonly url: string;
  readonly init: RequestInit & { method: string; headers: Record<string, string> };
}

export interface ExampleRequestOptions {
  /** Bearer token for secured operations; omitted when undefined. */
  token?: string;
  /** Replaces the body example (for deliberately broken requests). */
  body?: unknown;
}

function serialize(value: unknown, explode: boolean, name: string): string[] {
  if (Array.isArray(value)) {
    return explode ? value.map((item) => String(item)) : [value.map((item) => String(item)).join(',')];
  }
  if (typeof value === 'object' && value !== null) {
    throw new Error(`parameter ${name}: object examples are not supported`);
  }
  return [String(value)];
}

/** Builds the request an operation's examples describe: path, query and header parameters, and body. */
export function buildExampleRequest(
  operation: ContractOperation,
  baseUrl: string,
  options: ExampleRequestOptions = {},
): ExampleRequest {
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json, */*' };
  for (const parameter of operation.parameters) {
    if (parameter.example === undefined) {
      if (parameter.required) {
        throw new Error(`${operation.operationId}: required parameter ${parameter.name} has no example`);
      }
      continue;
    }
    const values = serialize(parameter.example, parameter.explode, parameter.name);
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(values.join(',')));
    else if (parameter.in === 'query') for (const value of values) query.append(parameter.name, value);
    else if (parameter.in === 'header') headers[parameter.name.toLowerCase()] = values.join(',');
  }
  if (operation.secured && options.token !== undefined) headers.authorization = `Bearer ${options.token}`;

  const init: ExampleRequest['init'] = { method: operation.method, headers };
  const body = 'body' in options ? options.body : operation.requestBody?.example;
  if (operation.requestBody && body !== undefined) {
    headers['content-type'] = operation.requestBody.mediaType;
    init.body = JSON.stringify(body);
  }
  const search = query.size > 0 ? `?${query.toString()}` : '';
  return { url: `${baseUrl}${path}${search}`, init };
}
