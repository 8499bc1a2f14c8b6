import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

// Helpers that read openapi.yaml for the schema tests; no .test suffix, so vitest skips it.

const specUrl = new URL('../../../../openapi.yaml', import.meta.url);
const root: unknown = parse(readFileSync(specUrl, 'utf8'));

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const recordOf = <T extends z.ZodType>(value: T) => z.record(z.string(), value);

const specSchema = z.object({
  paths: recordOf(recordOf(z.unknown())),
  components: z.object({ responses: recordOf(z.unknown()) }),
});
const operationSchema = z.object({
  operationId: z.string(),
  responses: recordOf(z.unknown()),
});
const responseObjectSchema = z.object({
  content: recordOf(z.object({ examples: recordOf(z.unknown()).optional() })).optional(),
});
const exampleObjectSchema = z.object({ value: z.unknown() });
const refSchema = z.object({ $ref: z.string().startsWith('#/') });

const spec = specSchema.parse(root);

/** Follows local `$ref`s (JSON pointers into openapi.yaml) until it reaches a real node. */
export function resolve(node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 10; hops++) {
    const ref = refSchema.safeParse(current);
    if (!ref.success) return current;
    current = ref.data.$ref
      .slice(2)
      .split('/')
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((parent, segment) => recordOf(z.unknown()).parse(parent)[segment], root);
  }
  throw new Error('$ref chain too long or circular');
}

export interface SpecOperation {
  operationId: string;
  method: (typeof httpMethods)[number];
  path: string;
  /** Responses keyed by status code, `$ref`s already resolved. */
  responses: Record<string, unknown>;
}

export const specOperations: SpecOperation[] = Object.entries(spec.paths).flatMap(([path, item]) =>
  httpMethods.flatMap((method) => {
    if (item[method] === undefined) return [];
    const op = operationSchema.parse(item[method]);
    const responses = Object.fromEntries(
      Object.entries(op.responses).map(([status, response]) => [status, resolve(response)]),
    );
    return [{ operationId: op.operationId, method, path, responses }];
  }),
);

export interface SpecExample {
  status: string;
  mediaType: string;
  name: string;
  value: unknown;
}

/** Every example of one response object, with example `$ref`s resolved. */
export function examplesOf(status: string, response: unknown): SpecExample[] {
  const { content = {} } = responseObjectSchema.parse(resolve(response));
  return Object.entries(content).flatMap(([mediaType, media]) =>
    Object.entries(media.examples ?? {}).map(([name, example]) => ({
      status,
      mediaType,
      name,
      value: exampleObjectSchema.parse(resolve(example)).value,
    })),
  );
}

export const isSuccess = (status: string): boolean => /^2\d\d$/.test(status);

/** Whether the operation's success response has an `application/json` body. */
export function hasJsonSuccessBody(op: SpecOperation): boolean {
  return Object.entries(op.responses).some(([status, response]) => {
    if (!isSuccess(status)) return false;
    const { content = {} } = responseObjectSchema.parse(response);
    return 'application/json' in content;
  });
}

export const componentResponses: Record<string, unknown> = spec.components.responses;

const requestBodySchema = z.object({
  requestBody: z.object({ content: recordOf(z.object({ schema: z.unknown() })) }).optional(),
});
const propertiesSchema = z.object({ properties: recordOf(z.unknown()).optional() });

/** The paths of the operations whose JSON request body has a `password` or `refresh_token` property. */
export function credentialBodyPaths(): string[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    httpMethods.some((method) => {
      if (item[method] === undefined) return false;
      const media = requestBodySchema.parse(item[method]).requestBody?.content['application/json'];
      if (media === undefined) return false;
      const properties = Object.keys(propertiesSchema.parse(resolve(media.schema)).properties ?? {});
      return properties.includes('password') || properties.includes('refresh_token');
    })
      ? [path]
      : [],
  );
}
