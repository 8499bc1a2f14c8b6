import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { HttpProblem } from './problems.js';
import type { Role, TokenPair, User } from './types.js';

/** A user who can log in to the mock. */
export interface MockUser {
  username: string;
  password: string;
  display_name?: string;
  email?: string | null;
  roles?: Role[];
}

export interface AuthOptions {
  users: MockUser[];
  /** Lifetime of access tokens in seconds (default 900). */
  accessTtlSeconds: number;
  /** Lifetime of refresh tokens in seconds (default 7 days). */
  refreshTtlSeconds: number;
  /** HMAC key for the JWTs. */
  secret: Uint8Array;
  now: () => Date;
}

interface Session {
  readonly username: string;
  revoked: boolean;
}

interface RefreshToken {
  readonly session: string;
  readonly expiresAt: number;
  used: boolean;
}

/** The sessions and refresh tokens (as SHA-256 digests, never in clear), as a data file keeps them. */
export interface AuthSnapshot {
  sessions: { id: string; username: string; revoked: boolean }[];
  refreshTokens: { digest: string; session: string; expiresAt: number; used: boolean }[];
}

const issuer = 'dtm-mock';
const audience = 'dtm-api';
const challenge = (error: string, description: string): Record<string, string> => ({
  'www-authenticate': `Bearer realm="dtm", error="${error}", error_description="${description}"`,
});

const unauthorized = (detail: string, error = 'invalid_token'): HttpProblem =>
  new HttpProblem(401, detail, { headers: challenge(error, detail) });

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');

function samePassword(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** How many verified access tokens `Auth` remembers. */
const verifiedCapacity = 10_000;

/**
 * Real bearer auth: HS256 JWT access tokens with a short lifetime, and opaque refresh
 * tokens that rotate on every use. Presenting a used refresh token again revokes its whole
 * session; so does logout. As the contract says, an access token stays valid until it
 * expires: it is stateless, like a real server's.
 */
export class Auth {
  readonly #options: AuthOptions;
  readonly #users = new Map<string, { user: User; password: string }>();
  readonly #sessions = new Map<string, Session>();
  /** Refresh tokens by their SHA-256, never in clear. */
  readonly #refresh = new Map<string, RefreshToken>();
  /**
   * Access tokens already verified, with their user and expiry: a token is stateless, so a
   * second request with it needs no second HMAC (the WebCrypto verify was most of the cost of a
   * list page). Oldest first; bounded.
   */
  readonly #verified = new Map<string, { user: User; expiresAt: number }>();
  /** Called after every change of the sessions or refresh tokens, so they can be saved. */
  onChange: (() => void) | undefined;

  constructor(options: AuthOptions) {
    this.#options = options;
    options.users.forEach((user, index) => {
      this.#users.set(user.username, {
        password: user.password,
        user: {
          id: `USR-${String(index + 1).padStart(3, '0')}`,
          username: user.username,
          display_name: user.display_name ?? user.username,
          email: user.email ?? null,
          roles: user.roles ?? ['admin'],
        },
      });
    });
  }

  /** The live sessions and refresh tokens; expired tokens, and sessions left without one, are dropped. */
  snapshot(): AuthSnapshot {
    const now = this.#nowSeconds();
    const refreshTokens = [...this.#refresh]
      .filter(([, token]) => token.expiresAt > now)
      .map(([digest, token]) => ({ digest, session: token.session, expiresAt: token.expiresAt, used: token.used }));
    const live = new Set(refreshTokens.map((token) => token.session));
    const sessions = [...this.#sessions]
      .filter(([id]) => live.has(id))
      .map(([id, session]) => ({ id, username: session.username, revoked: session.revoked }));
    return { sessions, refreshTokens };
  }

  /** Takes back what `snapshot()` gave, so refresh tokens outlive a restart. */
  restore(snapshot: AuthSnapshot): void {
    for (const { id, username, revoked } of snapshot.sessions) this.#sessions.set(id, { username, revoked });
    for (const { digest, session, expiresAt, used } of snapshot.refreshTokens) this.#refresh.set(digest, { session, expiresAt, used });
  }

  #nowSeconds(): number {
    return Math.floor(this.#options.now().getTime() / 1000);
  }

  async login(username: string, password: string): Promise<TokenPair> {
    const entry = this.#users.get(username);
    // Compare even for unknown users, so timing does not tell which usernames exist.
    const matches = samePassword(password, entry?.password ?? '\u0000');
    if (!entry || !matches) throw unauthorized('Wrong username or password.', 'invalid_grant');
    const session = randomBytes(12).toString('base64url');
    this.#sessions.set(session, { username, revoked: false });
    return this.#issue(session, username);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const key = digest(refreshToken);
    const stored = this.#refresh.get(key);
    const session = stored ? this.#sessions.get(stored.session) : undefined;
    if (!stored || !session) throw unauthorized('The refresh token is not known. Log in again.', 'invalid_grant');
    if (session.revoked) throw unauthorized('The session was logged out or revoked. Log in again.', 'invalid_grant');
    if (stored.used) {
      // A rotated token came back: someone may have stolen it. End the whole session.
      session.revoked = true;
      this.onChange?.();
      throw unauthorized('The refresh token was already used; the session is revoked. Log in again.', 'invalid_grant');
    }
    if (stored.expiresAt <= this.#nowSeconds()) throw unauthorized('The refresh token expired. Log in again.', 'invalid_grant');
    stored.used = true;
    return this.#issue(stored.session, session.username);
  }

  /** Revokes the session the refresh token belongs to; unknown tokens are ignored. */
  logout(refreshToken: string, username: string): void {
    const stored = this.#refresh.get(digest(refreshToken));
    const session = stored ? this.#sessions.get(stored.session) : undefined;
    if (session?.username === username) {
      session.revoked = true;
      this.onChange?.();
    }
  }

  /** The user an `Authorization` header belongs to, or a 401 saying what is wrong with it. */
  async authenticate(header: string | undefined): Promise<User> {
    if (header === undefined || header === '') throw unauthorized('This operation needs a bearer token. Log in first.', 'invalid_request');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <access token>".', 'invalid_request');
    const token = match[1];
    const known = this.#verified.get(token);
    if (known) {
      if (known.expiresAt > this.#nowSeconds()) return known.user;
      this.#verified.delete(token);
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.#options.secret, {
        issuer,
        audience,
        algorithms: ['HS256'],
        currentDate: this.#options.now(),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthorized('The access token expired. Refresh it or log in again.');
      throw unauthorized('The access token is not valid (bad signature, issuer or format). Log in again.');
    }
    const entry = payload.sub === undefined ? undefined : this.#users.get(payload.sub);
    if (!entry) throw unauthorized('The user of this token does not exist. Log in again.');
    if (typeof payload.exp === 'number') {
      if (this.#verified.size >= verifiedCapacity) this.#verified.delete(this.#verified.keys().next().value as string);
      this.#verified.set(token, { user: entry.user, expiresAt: payload.exp });
    }
    return entry.user;
  }

  async #issue(session: string, username: string): Promise<TokenPair> {
    const now = this.#nowSeconds();
    const { accessTtlSeconds, refreshTtlSeconds } = this.#options;
    const accessToken = await new SignJWT({ sid: session })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(username)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + accessTtlSeconds)
      .setJti(randomBytes(9).toString('base64url'))
      .sign(this.#options.secret);
    const refreshToken = randomBytes(32).toString('base64url');
    this.#refresh.set(digest(refreshToken), { session, expiresAt: now + refreshTtlSeconds, used: false });
    this.onChange?.();
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'bearer',
      expires_in: accessTtlSeconds,
      refresh_expires_in: refreshTtlSeconds,
    };
  }
}
