import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { HttpProblem } from './problems.js';
import type { FieldError } from './types.js';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const pointer = (...segments: string[]): string =>
  `openapi.json#/${segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  isArray: boolean;
  explode: boolean;
  /** The schema's default, filled in when the parameter is absent (Ajv ignores defaults behind $ref). */
  fallback: unknown;
  ref: string;
}

/** A request as the HTTP layer received it. */
export interface RawRequest {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  hasBody: boolean;
}

/** A request checked against the contract, with query defaults filled in and numbers parsed. */
export interface CheckedRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export type RequestChecker = (request: RawRequest) => CheckedRequest;

/**
 * Builds, for every operation of the contract, a checker of its parameters and body that
 * uses the schemas of openapi.yaml itself (JSON Schema 2020-12 through Ajv), so the mock
 * rejects exactly what the contract rejects — 422 with one `errors[]` entry per field.
 */
export function buildRequestCheckers(document: Node): Map<string, RequestChecker> {
  const forParameters = new Ajv2020({ strict: false, validateSchema: false, allErrors: true, coerceTypes: true });
  const forBodies = new Ajv2020({ strict: false, validateSchema: false, allErrors: true, discriminator: true });
  const schemas = withoutDiscriminatorMappings(document);
  for (const ajv of [forParameters, forBodies]) {
    addFormats(ajv);
    ajv.addFormat('password', true);
    ajv.addSchema(schemas, 'openapi.json');
  }

  const checkers = new Map<string, RequestChecker>();
  const paths = isNode(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isNode(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!isNode(operation) || typeof operation.operationId !== 'string') continue;
      const parameters = [
        ...readParameters(document, item.parameters, ['paths', path, 'parameters']),
        ...readParameters(document, operation.parameters, ['paths', path, method, 'parameters']),
      ];
      const bodyNode = isNode(operation.requestBody) ? operation.requestBody : undefined;
      const bodyMedia = bodyNode && isNode(bodyNode.content) ? Object.keys(bodyNode.content)[0] : undefined;
      const bodyCheck =
        bodyMedia === undefined
          ? undefined
          : forBodies.compile({ $ref: pointer('paths', path, method, 'requestBody', 'content', bodyMedia, 'schema') });
      checkers.set(
        operation.operationId,
        makeChecker(parameters, compileParameters(forParameters, parameters), bodyCheck, bodyNode?.required === true),
      );
    }
  }
  return checkers;
}

/** A copy without `discriminator.mapping`, which Ajv does not support (it finds the branch by `const`). */
function withoutDiscriminatorMappings(value: unknown): Node {
  return JSON.parse(JSON.stringify(value), (key, entry: unknown) => {
    if (key === 'discriminator' && isNode(entry)) {
      const { mapping: _mapping, ...rest } = entry;
      return rest;
    }
    return entry;
  }) as Node;
}

function readParameters(document: Node, raw: unknown, at: string[]): ParameterSpec[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry: unknown, index): ParameterSpec[] => {
    if (!isNode(entry)) return [];
    let node = entry;
    let where = [...at, String(index)];
    if (typeof entry.$ref === 'string') {
      where = entry.$ref.slice(2).split('/');
      node = where.reduce<unknown>((value, key) => (isNode(value) ? value[key] : undefined), document) as Node;
    }
    const location = node.in;
    if (location !== 'path' && location !== 'query' && location !== 'header') return [];
    const schema = resolve(document, node.schema);
    return [
      {
        name: String(node.name),
        in: location,
        required: node.required === true,
        isArray: schema.type === 'array',
        explode: node.explode !== false,
        fallback: schema.default,
        ref: pointer(...where, 'schema'),
      },
    ];
  });
}

function resolve(document: Node, value: unknown): Node {
  let node = isNode(value) ? value : {};
  while (typeof node.$ref === 'string') {
    const target = node.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((found, key) => (isNode(found) ? found[key] : undefined), document);
    node = isNode(target) ? target : {};
  }
  return node;
}

function compileParameters(ajv: Ajv2020, parameters: ParameterSpec[]): ValidateFunction {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    properties[parameter.name] = { $ref: parameter.ref };
    if (parameter.required) required.push(parameter.name);
  }
  return ajv.compile({ type: 'object', properties, required });
}

function makeChecker(
  parameters: ParameterSpec[],
  checkParameters: ValidateFunction,
  checkBody: ValidateFunction | undefined,
  bodyRequired: boolean,
): RequestChecker {
  const known = new Set(parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
  return (request) => {
    const values: Record<string, unknown> = {};
    const errors: FieldError[] = [];
    for (const name of Object.keys(request.query)) {
      if (!known.has(name)) errors.push({ field: name, message: `is not a query parameter of this operation` });
    }
    for (const parameter of parameters) {
      const raw =
        parameter.in === 'path'
          ? request.params[parameter.name]
          : parameter.in === 'query'
            ? request.query[parameter.name]
            : request.headers[parameter.name.toLowerCase()];
      if (raw === undefined) {
        if (parameter.fallback !== undefined) values[parameter.name] = parameter.fallback;
        continue;
      }
      if (parameter.isArray) {
        const list = Array.isArray(raw) ? raw : [raw];
        values[parameter.name] = parameter.explode ? list : list.flatMap((value) => value.split(','));
      } else if (Array.isArray(raw)) {
        errors.push({ field: parameter.name, message: 'must be given once' });
      } else {
        values[parameter.name] = raw;
      }
    }
    if (!checkParameters(values)) errors.push(...fieldErrors(checkParameters.errors));
    let body: unknown;
    if (checkBody) {
      if (!request.hasBody) {
        if (bodyRequired) errors.push({ field: 'body', message: 'is required: send a JSON object' });
      } else if (checkBody(request.body)) {
        body = request.body;
      } else {
        errors.push(...fieldErrors(checkBody.errors));
      }
    }
    if (errors.length > 0) {
      const first = errors[0] as FieldError;
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
      throw new HttpProblem(422, `The request is not valid: ${first.field} ${first.message}${more}.`, { errors });
    }
    const headers: Record<string, string | undefined> = {};
    const query: Record<string, unknown> = {};
    const params: Record<string, string> = {};
    for (const parameter of parameters) {
      const value = values[parameter.name];
      if (parameter.in === 'header') headers[parameter.name.toLowerCase()] = value as string | undefined;
      else if (parameter.in === 'query') query[parameter.name] = value;
      else params[parameter.name] = String(value);
    }
    return { params, query, headers, body };
  };
}

/** One entry per field, with the most telling of Ajv's messages for it. */
function fieldErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const byField = new Map<string, { rank: number; message: string }>();
  for (const error of errors ?? []) {
    let field = error.instancePath
      .split('/')
      .slice(1)
      // Dotted, array indexes included (`operations.2.data.title`), as the contract's FieldError says.
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
      .join('.');
    let message = error.message ?? 'is not valid';
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required') {
      field = field ? `${field}.${String(params.missingProperty)}` : String(params.missingProperty);
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      field = field ? `${field}.${String(params.additionalProperty)}` : String(params.additionalProperty);
      message = 'is not a known field';
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message = `must be one of: ${params.allowedValues.map(String).join(', ')}`;
    }
    // Prefer the concrete complaint over "must match exactly one schema" or the null branch's "must be null".
    const rank = error.keyword === 'oneOf' || error.keyword === 'anyOf' ? 2 : params.type === 'null' ? 1 : 0;
    const key = field || 'body';
    const seen = byField.get(key);
    if (!seen || rank < seen.rank) byField.set(key, { rank, message });
  }
  return [...byField].map(([field, { message }]) => ({ field, message }));
}
