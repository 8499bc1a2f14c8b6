import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  CursorExpiredError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  ServerError,
  ValidationError,
  errorFromResponse,
  isApiError,
  isConnectionError,
  isCursorExpiredError,
  isDtmError,
  isNotFoundError,
  isServerError,
  isUnreachableError,
  parseRetryAfter,
} from '../../src/core/errors.js';

const context = { operation: 'getTask', method: 'GET', url: 'http://127.0.0.1:8000/api/v1/tasks/TASK-000001', requestId: 'req_1' };

describe('errorFromResponse', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [410, CursorExpiredError],
    [412, PreconditionFailedError],
    [422, ValidationError],
    [429, RateLimitError],
    [500, ServerError],
    [503, ServerError],
    [418, ApiError],
  ])('%i -> %o', (status, want) => {
    const error = errorFromResponse(status, { type: 'about:blank', title: 'T', status }, new Headers(), context);
    expect(error).toBeInstanceOf(want);
    expect(error.constructor).toBe(want);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(new RegExp(`^getTask failed with ${status} T \\(request req_1\\)`));
  });

  it('says what failed, why and what to do', () => {
    const error = errorFromResponse(
      404,
      { type: 'urn:dtm:problem:not-found', title: 'Not found', status: 404, detail: 'There is no task TASK-000001.' },
      new Headers(),
      context,
    );
    expect(error.message).toBe(
      'getTask failed with 404 Not found: There is no task TASK-000001. (request req_1). Check the id; the resource may have been deleted',
    );
    expect(error.hint).toBe('Check the id; the resource may have been deleted');
  });

  it('exposes the current ETag of a 412', () => {
    const error = errorFromResponse(412, { type: 'x', title: 'Precondition failed', status: 412 }, new Headers({ etag: '"5"' }), context);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error instanceof PreconditionFailedError && error.currentEtag).toBe('"5"');
  });
});

describe('guards', () => {
  const notFound = errorFromResponse(404, { type: 'x', title: 'Not found', status: 404 }, new Headers(), context);
  const refused = new ConnectionError(context, Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }));

  it('recognise errors by class', () => {
    expect([isDtmError(notFound), isApiError(notFound), isNotFoundError(notFound), isServerError(notFound)]).toEqual([true, true, true, false]);
    expect([isConnectionError(refused), isApiError(refused), isUnreachableError(refused)]).toEqual([true, false, true]);
    expect(isUnreachableError(notFound)).toBe(false);
    const expired = errorFromResponse(410, { type: 'urn:dtm:problem:cursor-expired', title: 'Gone', status: 410 }, new Headers(), context);
    expect([isCursorExpiredError(expired), isApiError(expired), isCursorExpiredError(notFound)]).toEqual([true, true, false]);
    expect(expired.hint).toMatch(/no cursor/);
  });

  it('recognise an error from another copy of the SDK (no shared prototype)', () => {
    const copy = Object.assign(Object.create(null) as object, { name: 'NotFoundError', status: 404 });
    Object.defineProperty(copy, Symbol.for('@dtm/sdk/error'), { value: true });
    expect(isNotFoundError(copy)).toBe(true);
    expect(isApiError(copy)).toBe(true);
  });

  it('reject look-alikes without the brand', () => {
    expect(isNotFoundError(Object.assign(new Error('x'), { name: 'NotFoundError' }))).toBe(false);
    expect(isDtmError(null)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  it.each([
    ['2', 2000],
    ['0', 0],
    ['1.5', 1500],
    ['Sun, 22 Nov 2026 10:00:30 GMT', 30_000],
    ['Sun, 22 Nov 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
  ])('%s -> %s', (given, want) => {
    expect(parseRetryAfter(given, now)).toBe(want);
  });
  it('null -> undefined', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
