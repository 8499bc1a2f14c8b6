import { describe, expect, it } from 'vitest';
import { answerFrom, redactHeader, redactTokens } from '../../src/lib/api-answer.js';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJVU1ItMDAxIn0.c2lnbmF0dXJl';

describe('redactTokens', () => {
  it.each([
    { given: `token ${jwt} here`, want: 'token [REDACTED] here' },
    { given: 'Bearer abc.def', want: 'Bearer [REDACTED]' },
    { given: 'realm="dtm", Basic dXNlcjpwdw==', want: 'realm="dtm", Basic [REDACTED]' },
    { given: 'W/"3"', want: 'W/"3"' },
    { given: 'req_0123456789abcdef', want: 'req_0123456789abcdef' },
  ])('$given → $want', ({ given, want }) => {
    expect(redactTokens(given)).toBe(want);
  });
});

describe('redactHeader', () => {
  it.each([
    { name: 'authorization', value: 'Bearer x', want: '[REDACTED]' },
    { name: 'x-refresh-token', value: 'rt_123', want: '[REDACTED]' },
    { name: 'set-cookie', value: 'session=abc123; Path=/; HttpOnly', want: 'session=[REDACTED]; Path=/; HttpOnly' },
    { name: 'set-cookie', value: 'theme=dark; Path=/', want: 'theme=dark; Path=/' },
    { name: 'set-cookie', value: `pref=${jwt}; Path=/`, want: 'pref=[REDACTED]; Path=/' },
    { name: 'etag', value: '"7"', want: '"7"' },
  ])('$name: $value → $want', ({ name, value, want }) => {
    expect(redactHeader(name, value)).toBe(want);
  });
});

describe('answerFrom', () => {
  it('keeps each Set-Cookie line apart and lower-cases the names', () => {
    const headers = new Headers([
      ['ETag', '"2"'],
      ['Set-Cookie', 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
      ['Set-Cookie', 'auth_token=secret'],
    ]);
    expect(answerFrom(200, headers, { ok: true })).toEqual({
      status: 200,
      headers: [
        ['etag', '"2"'],
        ['set-cookie', 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
        ['set-cookie', 'auth_token=[REDACTED]'],
      ],
      data: { ok: true },
    });
  });
});
