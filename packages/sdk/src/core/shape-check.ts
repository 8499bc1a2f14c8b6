import type { ZodMiniType, core } from 'zod/mini';

// A fast path for response validation. zod parses into a copy of every object, which costs
// more than the check itself; the SDK's response schemas only check shapes (types, enums,
// nullability, integers), keep unknown fields (looseObject) and transform nothing, so a
// response that passes is returned as it was parsed. `shapeCheck(schema)` compiles such a
// schema, once, into a plain function that answers valid or not without copying; zod still
// runs on a failure, to name the field. A schema using anything else compiles to undefined,
// and zod parses it as before. A property test holds the two to the same verdicts.

type Check = (value: unknown) => boolean;

/** The parts of zod's schema definitions the compiler reads (zod 4's `_zod.def`). */
interface Def {
  type: string;
  format?: string;
  checks?: unknown[];
  check?: string;
  entries?: Record<string, unknown>;
  values?: unknown[];
  element?: ZodMiniType;
  shape?: Record<string, ZodMiniType>;
  catchall?: ZodMiniType;
  innerType?: ZodMiniType;
  options?: ZodMiniType[];
}

const defOf = (schema: ZodMiniType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const compiled = new WeakMap<ZodMiniType, Check | null>();

/** The compiled check of a schema, or undefined when it uses more than the compiler knows. */
export function shapeCheck(schema: ZodMiniType): Check | undefined {
  let check = compiled.get(schema);
  if (check === undefined) {
    try {
      check = compile(schema);
    } catch {
      check = null;
    }
    compiled.set(schema, check);
  }
  return check ?? undefined;
}

/** True for a key that may be absent: optional, also inside nullable (zod's rule). */
function mayBeAbsent(schema: ZodMiniType): boolean {
  const def = defOf(schema);
  if (def.type === 'optional') return true;
  return def.type === 'nullable' && def.innerType !== undefined && mayBeAbsent(def.innerType);
}

class Unsupported extends Error {}

/**
 * Compiles to the source of one function per object and array (as zod's own JIT does): a
 * check of monomorphic property reads, fast where a tree of closures would be megamorphic.
 * Where `new Function` is not allowed (a strict CSP), the schema is left to zod.
 */
function compile(schema: ZodMiniType): Check {
  const functions: string[] = [];
  const sets: Set<unknown>[] = [];
  const expression = (node: ZodMiniType, value: string): string => {
    const def = defOf(node);
    if (def.checks !== undefined && def.checks.length > 0) throw new Unsupported(`checks on ${def.type}`);
    switch (def.type) {
      case 'string':
      case 'boolean':
        return `typeof ${value} === '${def.type}'`;
      case 'number':
        if (def.format === 'safeint') return `Number.isSafeInteger(${value})`;
        if (def.format !== undefined || def.check !== undefined) throw new Unsupported(`number format ${def.format ?? def.check}`);
        return `(typeof ${value} === 'number' && Number.isFinite(${value}))`;
      case 'unknown':
      case 'any':
        return 'true';
      case 'enum':
      case 'literal':
        sets.push(new Set(def.type === 'enum' ? Object.values(def.entries ?? {}) : def.values));
        return `sets[${sets.length - 1}].has(${value})`;
      case 'optional':
        return `(${value} === undefined || ${expression(inner(def), value)})`;
      case 'nullable':
        return `(${value} === null || ${expression(inner(def), value)})`;
      case 'array': {
        if (def.element === undefined) throw new Unsupported('array without element');
        const name = `f${functions.length}`;
        functions.push('');
        functions[Number(name.slice(1))] =
          `function ${name}(a) { if (!Array.isArray(a)) return false; ` +
          `for (let i = 0; i < a.length; i++) { const x = a[i]; if (!(${expression(def.element, 'x')})) return false; } return true; }`;
        return `${name}(${value})`;
      }
      case 'object': {
        // Only loose objects: a stripped or strict object would answer differently from the input.
        if (def.catchall === undefined || defOf(def.catchall).type !== 'unknown') throw new Unsupported('object that is not loose');
        const name = `f${functions.length}`;
        functions.push('');
        const fields = Object.entries(def.shape ?? {}).map(([key, field], index) => {
          const quoted = JSON.stringify(key);
          const absent = mayBeAbsent(field) ? '' : 'return false; ';
          return `if (!(${quoted} in o)) { ${absent}} else { const v${index} = o[${quoted}]; if (!(${expression(field, `v${index}`)})) return false; }`;
        });
        functions[Number(name.slice(1))] =
          `function ${name}(o) { if (typeof o !== 'object' || o === null || Array.isArray(o)) return false; ${fields.join(' ')} return true; }`;
        return `${name}(${value})`;
      }
      case 'union':
        return `(${(def.options ?? []).map((option) => expression(option, value)).join(' || ')})`;
      default:
        throw new Unsupported(def.type);
    }
  };
  const root = expression(schema, 'value');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- source built above from the schema alone, no input in it
  const build = new Function('sets', `${functions.join('\n')}\nreturn (value) => ${root};`) as (sets: Set<unknown>[]) => Check;
  return build(sets);
}

function inner(def: Def): ZodMiniType {
  if (def.innerType === undefined) throw new Unsupported(`${def.type} without inner type`);
  return def.innerType;
}

export type Validated<T> = { success: true; data: T } | { success: false; path: string; message: string };

/**
 * Validates a parsed response: the value itself when it passes the compiled check (zod's
 * copy for a schema that does not compile), else where and why zod refuses it.
 */
export function validate<T>(schema: ZodMiniType<T>, value: unknown): Validated<T> {
  if (shapeCheck(schema)?.(value) === true) return { success: true, data: value as T };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { success: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return { success: false, path: issue?.path.join('.') ?? '', message: issue === undefined ? 'Invalid input' : reason(issue, value) };
}

/** The JSON type of a value, as zod's English messages name it. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

/**
 * What is wrong, in words. zod/mini's issues say only "Invalid input" (its English messages
 * are a locale we do not load: a global setting, and a CommonJS import of every locale).
 */
function reason(issue: core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const found = issue.path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined), value);
      return `Invalid input: expected ${issue.expected}, received ${typeName(found)}`;
    }
    case 'invalid_value':
      return `Invalid option: expected one of ${issue.values.map((allowed) => JSON.stringify(allowed)).join('|')}`;
    default:
      return issue.message;
  }
}
