// What `dtm api` builds from its arguments, like `gh api`: pure functions, no I/O.
import { usageError } from './errors.js';

export const apiMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ApiMethod = (typeof apiMethods)[number];

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type QueryValue = string | number | boolean | (string | number)[];

/** `get` → `GET`; anything outside GET, POST, PUT, PATCH and DELETE is a usage error. */
export function parseMethod(value: string): ApiMethod {
  const method = value.toUpperCase();
  if (!(apiMethods as readonly string[]).includes(method)) {
    throw usageError(`Unknown method "${value}".`, `Use one of ${apiMethods.join(', ')}.`);
  }
  return method as ApiMethod;
}

/**
 * The method of a request, as `gh api` picks it: the positional METHOD or `-X` (which must
 * agree when both are given), else GET, or POST when there is a body (fields or --input).
 */
export function resolveMethod(positional: string | undefined, flag: string | undefined, hasBody: boolean): ApiMethod {
  const given = positional === undefined ? undefined : parseMethod(positional);
  const chosen = flag === undefined ? undefined : parseMethod(flag);
  if (given !== undefined && chosen !== undefined && given !== chosen) {
    throw usageError(`The method is given twice: ${given} and -X ${chosen}.`, 'Give it once: as the first argument or with -X/--method.');
  }
  return given ?? chosen ?? (hasBody ? 'POST' : 'GET');
}

/** Splits `/api/v1/tasks?limit=5` into the path and its query parameters. */
export function parsePath(value: string): { path: string; query: Record<string, string> } {
  if (!value.startsWith('/')) {
    throw usageError(`The path must start with "/", got "${value}".`, 'For example: dtm api GET /api/v1/tasks');
  }
  const at = value.indexOf('?');
  if (at === -1) return { path: value, query: {} };
  return { path: value.slice(0, at), query: Object.fromEntries(new URLSearchParams(value.slice(at + 1))) };
}

/**
 * The value of `-F key=value`: true, false and null; numbers; JSON objects and arrays
 * (`{…}`, `[…]`); anything else stays a string.
 */
export function parseTypedValue(value: string): Json {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'null') return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value)) return Number(value);
  if (value.startsWith('{') || value.startsWith('[')) {
    try {
      return JSON.parse(value) as Json;
    } catch {
      throw usageError(`Not valid JSON: ${value}`, 'Quote the value for the shell, or pass it with -f to send it as a string.');
    }
  }
  return value;
}

export interface Field {
  key: string;
  value: Json;
}

/** `key=value` from -f (kept a string) or -F (typed). */
export function parseField(text: string, typed: boolean): Field {
  const at = text.indexOf('=');
  if (at <= 0) throw usageError(`A field must look like key=value, got "${text}".`);
  const key = text.slice(0, at);
  const raw = text.slice(at + 1);
  return { key, value: typed ? parseTypedValue(raw) : raw };
}

/** `tags[]` → ['tags', null] (null appends); `a[b][c]` → ['a', 'b', 'c']. */
export function keyPath(key: string): (string | null)[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match?.[1]) throw usageError(`Bad field name "${key}".`, 'Use name, name[] (append to a list) or name[key] (nested object).');
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((part) => (part[1] === '' ? null : (part[1] ?? null)));
  return [match[1], ...rest];
}

/** The fields as one JSON object: `a[b]=1` nests, `tags[]=x -f tags[]=y` builds a list. */
export function buildObject(fields: readonly Field[]): Record<string, Json> {
  const root: Record<string, Json> = {};
  for (const { key, value } of fields) {
    const path = keyPath(key);
    const clash = (): Error => usageError(`Field "${key}" is given both as a value and as a list or object.`);
    let container: Record<string, Json> | Json[] = root;
    for (let index = 0; index < path.length; index++) {
      const segment = path[index] ?? null;
      const last = index === path.length - 1;
      const wantsList = path[index + 1] === null;
      if (Array.isArray(container)) {
        if (segment !== null) throw clash();
        if (last) {
          container.push(value);
        } else {
          const created: Record<string, Json> | Json[] = wantsList ? [] : {};
          container.push(created);
          container = created;
        }
        continue;
      }
      if (segment === null) throw clash();
      const existing: Json | undefined = container[segment];
      if (last) {
        if (typeof existing === 'object' && existing !== null) throw clash();
        container[segment] = value;
      } else if (existing === undefined) {
        const created: Record<string, Json> | Json[] = wantsList ? [] : {};
        container[segment] = created;
        container = created;
      } else if (typeof existing === 'object' && existing !== null && Array.isArray(existing) === wantsList) {
        container = existing;
      } else {
        throw clash();
      }
    }
  }
  return root;
}

/** The fields as query parameters: scalars, and lists of scalars (sent comma-separated). */
export function buildQuery(fields: readonly Field[]): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(buildObject(fields))) {
    if (value === null) throw usageError(`Field "${name}" is null, which a query cannot carry.`);
    if (Array.isArray(value)) {
      if (!value.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) {
        throw usageError(`Field "${name}" holds objects, which a query cannot carry.`);
      }
      query[name] = value.map((item) => (typeof item === 'boolean' ? String(item) : item));
    } else if (typeof value === 'object') {
      throw usageError(`Field "${name}" is an object, which a query cannot carry.`, 'Send a body with POST, PUT or PATCH instead.');
    } else {
      query[name] = value;
    }
  }
  return query;
}

/** `-H 'Name: value'` → [name, value]. */
export function parseHeader(text: string): [string, string] {
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(text);
  if (!match?.[1]) throw usageError(`A header must look like "Name: value", got "${text}".`);
  return [match[1], (match[2] ?? '').trim()];
}
