import { describe, expect, it } from 'vitest';
import {
  buildObject,
  buildQuery,
  keyPath,
  parseField,
  parseHeader,
  parseMethod,
  parsePath,
  parseTypedValue,
  resolveMethod,
} from '../../src/lib/api-fields.js';

const usage = expect.objectContaining({ exitCode: 2 }) as Error;

describe('parseMethod', () => {
  it.each([
    { given: 'get', want: 'GET' },
    { given: 'Post', want: 'POST' },
    { given: 'PUT', want: 'PUT' },
    { given: 'patch', want: 'PATCH' },
    { given: 'DELETE', want: 'DELETE' },
  ])('$given → $want', ({ given, want }) => {
    expect(parseMethod(given)).toBe(want);
  });

  it.each(['HEAD', 'TRACE', 'OPTIONS', 'FETCH', ''])('rejects "%s"', (given) => {
    expect(() => parseMethod(given)).toThrow(usage);
  });
});

describe('resolveMethod (METHOD argument, -X, or GET/POST as gh)', () => {
  it.each([
    { name: 'nothing given, no body', positional: undefined, flag: undefined, hasBody: false, want: 'GET' },
    { name: 'nothing given, a body', positional: undefined, flag: undefined, hasBody: true, want: 'POST' },
    { name: 'the argument', positional: 'patch', flag: undefined, hasBody: true, want: 'PATCH' },
    { name: '-X', positional: undefined, flag: 'delete', hasBody: false, want: 'DELETE' },
    { name: '-X GET with fields', positional: undefined, flag: 'GET', hasBody: true, want: 'GET' },
    { name: 'both, agreeing', positional: 'put', flag: 'PUT', hasBody: true, want: 'PUT' },
  ] as const)('$name → $want', ({ positional, flag, hasBody, want }) => {
    expect(resolveMethod(positional, flag, hasBody)).toBe(want);
  });

  it.each([
    { name: 'both, disagreeing', positional: 'GET', flag: 'POST', message: 'The method is given twice: GET and -X POST.' },
    { name: 'an unknown -X', positional: undefined, flag: 'TRACE', message: 'Unknown method "TRACE".' },
    { name: 'an unknown argument', positional: 'FETCH', flag: undefined, message: 'Unknown method "FETCH".' },
  ])('$name: a usage error', ({ positional, flag, message }) => {
    expect(() => resolveMethod(positional, flag, false)).toThrow(expect.objectContaining({ exitCode: 2, message }) as Error);
  });
});

describe('parsePath', () => {
  it('splits off the query string', () => {
    expect(parsePath('/api/v1/tasks?limit=5&status=a%2Cb')).toEqual({ path: '/api/v1/tasks', query: { limit: '5', status: 'a,b' } });
    expect(parsePath('/health')).toEqual({ path: '/health', query: {} });
  });

  it.each(['api/v1/tasks', 'http://127.0.0.1:8000/health', ''])('rejects "%s", which does not start with /', (given) => {
    expect(() => parsePath(given)).toThrow(usage);
  });
});

describe('parseTypedValue (-F)', () => {
  it.each([
    { given: 'true', want: true },
    { given: 'false', want: false },
    { given: 'null', want: null },
    { given: '42', want: 42 },
    { given: '-2.5', want: -2.5 },
    { given: '1e3', want: 1000 },
    { given: '007', want: '007' },
    { given: '12abc', want: '12abc' },
    { given: 'hello', want: 'hello' },
    { given: '', want: '' },
    { given: '["a",1]', want: ['a', 1] },
    { given: '{"a":{"b":null}}', want: { a: { b: null } } },
  ])('$given → $want', ({ given, want }) => {
    expect(parseTypedValue(given)).toEqual(want);
  });

  it('rejects broken JSON', () => {
    expect(() => parseTypedValue('{nope')).toThrow(usage);
  });
});

describe('parseField', () => {
  it('splits at the first =, and -f keeps strings', () => {
    expect(parseField('title=a=b', false)).toEqual({ key: 'title', value: 'a=b' });
    expect(parseField('limit=5', false)).toEqual({ key: 'limit', value: '5' });
    expect(parseField('limit=5', true)).toEqual({ key: 'limit', value: 5 });
    expect(parseField('note=', true)).toEqual({ key: 'note', value: '' });
  });

  it.each(['novalue', '=5'])('rejects "%s"', (given) => {
    expect(() => parseField(given, false)).toThrow(usage);
  });
});

describe('keyPath', () => {
  it.each([
    { given: 'title', want: ['title'] },
    { given: 'tags[]', want: ['tags', null] },
    { given: 'a[b][c]', want: ['a', 'b', 'c'] },
  ])('$given → $want', ({ given, want }) => {
    expect(keyPath(given)).toEqual(want);
  });

  it.each(['[x]', 'a[b', 'a]b'])('rejects "%s"', (given) => {
    expect(() => keyPath(given)).toThrow(usage);
  });
});

describe('buildObject', () => {
  it('builds scalars, lists and nested objects; a later field of the same name wins', () => {
    expect(
      buildObject([
        { key: 'title', value: 'first' },
        { key: 'tags[]', value: 'a' },
        { key: 'tags[]', value: 'b' },
        { key: 'meta[owner][name]', value: 'ann' },
        { key: 'meta[size]', value: 3 },
        { key: 'title', value: 'second' },
      ]),
    ).toEqual({ title: 'second', tags: ['a', 'b'], meta: { owner: { name: 'ann' }, size: 3 } });
  });

  it.each([
    [{ key: 'a', value: 1 }, { key: 'a[]', value: 2 }],
    [{ key: 'a[]', value: 1 }, { key: 'a[b]', value: 2 }],
    [{ key: 'a[b]', value: 1 }, { key: 'a', value: 2 }],
  ])('rejects a name used both as a value and a list or object', (...fields) => {
    expect(() => buildObject(fields)).toThrow(usage);
  });
});

describe('buildQuery', () => {
  it('keeps scalars and lists of scalars', () => {
    expect(
      buildQuery([
        { key: 'limit', value: 5 },
        { key: 'status[]', value: 'pending' },
        { key: 'status[]', value: 'blocked' },
        { key: 'flag', value: true },
      ]),
    ).toEqual({ limit: 5, status: ['pending', 'blocked'], flag: true });
  });

  it.each([{ key: 'a', value: null }, { key: 'a', value: { b: 1 } }, { key: 'a[b]', value: 1 }, { key: 'a[]', value: [1] }])(
    'rejects $key=$value, which a query cannot carry',
    (field) => {
      expect(() => buildQuery([field])).toThrow(usage);
    },
  );
});

describe('parseHeader', () => {
  it('splits Name: value', () => {
    expect(parseHeader('If-Match: "3"')).toEqual(['If-Match', '"3"']);
    expect(parseHeader('X-Empty:')).toEqual(['X-Empty', '']);
  });

  it.each(['no colon', ': value', 'Bad Name: x'])('rejects "%s"', (given) => {
    expect(() => parseHeader(given)).toThrow(usage);
  });
});
