// The compiled shape checks answer exactly as zod does, for every response schema, on the
// contract's examples and on random mutations of them (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { shapeCheck, validate } from '../../src/core/shape-check.js';
import { problemSchema, responseSchemas, taskSchema } from '../../src/schemas/index.js';
import { examplesOf, isSuccess, specOperations } from '../schemas/spec.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The contract's success examples of each operation with a JSON body, with its schema. */
const cases = specOperations.flatMap((op) => {
  const schema = (responseSchemas as Record<string, z.ZodMiniType>)[op.operationId];
  if (schema === undefined) return [];
  const examples = Object.entries(op.responses).flatMap(([status, response]) => (isSuccess(status) ? examplesOf(status, response) : []));
  return examples.map((example) => ({ name: `${op.operationId} ${example.name}`, schema, value: example.value as Json }));
});

/** Every place in a JSON value: [parent, key] pairs. */
function places(value: Json): [Json[] | { [key: string]: Json }, string | number][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[value, key] as [Json[] | { [key: string]: Json }, string | number], ...places(child)]);
}

const odd = fc.constantFrom<unknown>(undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53, 1.5, [], {}, '', 'pending', 'task', 0, true, null);
const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'replace', 'extra', 'hole'),
  value: fc.oneof(odd, fc.jsonValue({ maxDepth: 2 })),
});

function mutate(example: Json, mutations: { at: number; kind: string; value: unknown }[]): unknown {
  const copy = structuredClone(example);
  for (const { at, kind, value } of mutations) {
    const all = places(copy);
    const place = all[at % Math.max(1, all.length)];
    if (place === undefined) return value;
    const [parent, key] = place;
    const target = parent as Record<string | number, unknown>;
    if (kind === 'delete') Reflect.deleteProperty(target, key);
    else if (kind === 'extra') target[`extra_${String(key)}`] = value;
    else if (kind === 'hole' && Array.isArray(parent)) (parent as unknown[]).length += 1;
    else target[key] = value;
  }
  return copy;
}

describe('shapeCheck', () => {
  it('compiles every response schema (and the task and problem schemas)', () => {
    for (const [operation, schema] of Object.entries(responseSchemas)) expect(shapeCheck(schema as z.ZodMiniType), operation).toBeTypeOf('function');
    expect(shapeCheck(taskSchema)).toBeTypeOf('function');
    expect(shapeCheck(problemSchema)).toBeTypeOf('function');
  });

  it('passes every example of the contract, returning the value itself', () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const { name, schema, value } of cases) {
      expect(schema.safeParse(value).success, name).toBe(true);
      const checked = validate(schema, value);
      expect(checked.success, name).toBe(true);
      if (checked.success) expect(checked.data).toBe(value);
    }
  });

  it('gives the verdict zod gives on random mutations of the examples', () => {
    fc.assert(
      fc.property(fc.nat({ max: cases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (index, mutations) => {
        const { schema, value } = cases[index] as (typeof cases)[number];
        const mutated = mutate(value, mutations);
        expect(shapeCheck(schema)?.(mutated)).toBe(schema.safeParse(mutated).success);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves schemas it does not know to zod: checks, strict or stripping objects', () => {
    for (const schema of [z.string().check(z.minLength(3)), z.object({ a: z.string() }), z.strictObject({ a: z.string() }), z.date(), z.string().check(z.regex(/x/))]) {
      expect(shapeCheck(schema)).toBeUndefined();
    }
    const stripping = z.object({ a: z.string() });
    expect(validate(stripping, { a: 'x', b: 1 })).toEqual({ success: true, data: { a: 'x' } });
    expect(validate(taskSchema, { id: 1 })).toMatchObject({ success: false, path: 'id' });
  });
});
