import type { ZodMiniType } from 'zod/mini';
import type { operations } from '../generated/openapi.js';
import { responseSchemas } from '../schemas/index.js';
import { APIPromise } from './api-promise.js';
import { type NavigablePage, type Page, navigable } from './pagination.js';
import type { CallResult, CallSpec, RequestOptions, Transport } from './transport.js';

export type OperationId = keyof operations;
type JsonOperationId = keyof typeof responseSchemas;

/** The JSON body of an operation's 200 or 201 response, as generated from openapi.yaml. */
export type JsonSuccess<Op extends OperationId> = {
  [S in keyof operations[Op]['responses']]: S extends 200 | 201
    ? operations[Op]['responses'][S] extends { content: { 'application/json': infer Body } }
      ? Body
      : never
    : never;
}[keyof operations[Op]['responses']];

/** The query parameters of an operation. */
export type QueryOf<Op extends OperationId> = NonNullable<operations[Op]['parameters']['query']>;

/** Options of calls that change a resource: the version the change is based on. */
export interface WriteOptions extends RequestOptions {
  /** Apply only if the resource is still at this ETag; a number is taken as the `version` field. */
  ifMatch?: string | number;
}

/** Options of reads that can answer 304 Not Modified. */
export interface ConditionalReadOptions extends RequestOptions {
  /**
   * The ETag (or `version`, as a number) of the copy you hold: when the resource is still
   * at it, the server answers 304 and the call resolves with null.
   */
  ifNoneMatch?: string | number;
}

type Spec = Omit<CallSpec<unknown>, 'operation' | 'expect' | 'schema'>;

/** The exchange of an operation that answers JSON, validated with the operation's response schema. */
export function exchangeJson<Op extends OperationId & JsonOperationId>(
  transport: Transport,
  operation: Op,
  spec: Spec,
): Promise<CallResult<JsonSuccess<Op>>> {
  const schema: ZodMiniType = responseSchemas[operation];
  return transport.call({ ...spec, operation, expect: 'json', schema }) as Promise<CallResult<JsonSuccess<Op>>>;
}

/** Calls an operation that answers JSON, validated with the operation's response schema. */
export function callJson<Op extends OperationId & JsonOperationId>(
  transport: Transport,
  operation: Op,
  spec: Spec,
): APIPromise<JsonSuccess<Op>> {
  return new APIPromise(exchangeJson(transport, operation, spec), (result) => result.data as JsonSuccess<Op>);
}

/** Calls a list operation: its page can fetch the next one (`next(offset)`, the same call at another offset). */
export function callPage<Op extends OperationId & JsonOperationId, P extends JsonSuccess<Op> & Page<unknown>>(
  transport: Transport,
  operation: Op,
  spec: Spec,
  next: (offset: number) => Promise<NavigablePage<P>>,
): APIPromise<NavigablePage<P>> {
  return new APIPromise(exchangeJson(transport, operation, spec), (result) => navigable(result.data as P, next));
}

/**
 * Calls a read that honours `If-None-Match`: null when the server answers 304 (the caller's
 * copy is current), else the validated body. Without `ifNoneMatch` it is `callJson`.
 */
export function callConditional<Op extends OperationId & JsonOperationId>(
  transport: Transport,
  operation: Op,
  spec: Spec & { options?: ConditionalReadOptions | undefined },
): APIPromise<JsonSuccess<Op> | null> {
  const ifNoneMatch = spec.options?.ifNoneMatch;
  if (ifNoneMatch === undefined) return callJson(transport, operation, spec);
  const schema: ZodMiniType = responseSchemas[operation];
  const exchange = transport.call({
    ...spec,
    headers: { ...spec.headers, 'if-none-match': typeof ifNoneMatch === 'number' ? `"${ifNoneMatch}"` : ifNoneMatch },
    operation,
    expect: 'json',
    schema,
    alsoOk: [304],
  });
  return new APIPromise(exchange, (result) => (result.status === 304 ? null : (result.data as JsonSuccess<Op>)));
}

/** Calls an operation that answers 204 No Content. */
export function callEmpty(transport: Transport, operation: OperationId, spec: Spec): APIPromise<void> {
  return new APIPromise(transport.call({ ...spec, operation, expect: 'empty' }), () => undefined);
}

/** `If-Match` for a version number or an ETag. */
export function ifMatchHeader(options: WriteOptions | undefined): Record<string, string | undefined> {
  const value = options?.ifMatch;
  return { 'if-match': typeof value === 'number' ? `"${value}"` : value };
}

/** Encodes one path parameter. */
export function segment(value: string): string {
  if (value === '') throw new TypeError('an id must not be empty');
  return encodeURIComponent(value);
}
