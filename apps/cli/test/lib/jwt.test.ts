import { describe, expect, it } from 'vitest';
import { jwtClaims } from '../../src/lib/jwt.js';

const jwt = (claims: unknown): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('jwtClaims', () => {
  it.each([
    { name: 'the registered claims, times in ms', given: jwt({ exp: 1_800_000_000, iat: 1_799_999_100, sub: 'demo', iss: 'dtm' }), want: { expiresAt: 1_800_000_000_000, issuedAt: 1_799_999_100_000, subject: 'demo', issuer: 'dtm' } },
    { name: 'claims of the wrong type are left out', given: jwt({ exp: '2030', sub: 7 }), want: {} },
    { name: 'an opaque token is not a JWT', given: 'c2VjcmV0LXJlZnJlc2gtdG9rZW4', want: undefined },
    { name: 'a payload that is not JSON', given: 'a.b!.c', want: undefined },
    { name: 'a payload that is not an object', given: jwt(null), want: undefined },
  ])('$name', ({ given, want }) => {
    expect(jwtClaims(given)).toEqual(want);
  });
});
