import type { components } from '../generated/openapi.js';
import type { TokenSet } from '../core/auth.js';
import { AuthenticationError, isApiError } from '../core/errors.js';
import { APIPromise } from '../core/api-promise.js';
import { callEmpty, callJson, exchangeJson } from '../core/operation.js';
import type { Session } from '../core/session.js';
import type { RequestOptions, Transport } from '../core/transport.js';

type LoginRequest = components['schemas']['LoginRequest'];
type TokenPair = components['schemas']['TokenPair'];
type User = components['schemas']['User'];

/** Turns the server's token answer into what a TokenStore keeps. */
export function tokenSetFrom(pair: TokenPair, now = Date.now()): TokenSet {
  return {
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresAt: now + pair.expires_in * 1000,
    ...(pair.refresh_expires_in ? { refreshExpiresAt: now + pair.refresh_expires_in * 1000 } : {}),
  };
}

/** Login, refresh, logout and the current user: `client.auth`. */
export class AuthResource {
  readonly #transport: Transport;
  readonly #session: Session;

  constructor(transport: Transport, session: Session) {
    this.#transport = transport;
    this.#session = session;
    session.useRefresher(async (refreshToken) => tokenSetFrom((await this.#exchangeRefresh(refreshToken)).data));
  }

  /**
   * Logs in and keeps the tokens in the client's token store.
   * @example
   * await client.auth.login({ username: 'demo', password: await readPassword() });
   */
  login(credentials: LoginRequest, options?: RequestOptions): APIPromise<TokenPair> {
    const exchange = exchangeJson(this.#transport, 'login', {
      method: 'POST',
      path: '/auth/login',
      body: credentials,
      secured: false,
      sendsCredentials: true,
      options,
    }).then(async (result) => {
      await this.#session.store.set(tokenSetFrom(result.data));
      return result;
    });
    return new APIPromise(exchange, (result) => result.data as TokenPair);
  }

  /**
   * Exchanges the stored refresh token for new tokens now. Calls that get 401 do this on
   * their own; use it to renew a session ahead of time.
   * @example
   * await client.auth.refresh();
   */
  refresh(options?: RequestOptions): APIPromise<TokenPair> {
    const exchange = (async () => {
      const refreshToken = (await this.#session.store.get())?.refreshToken;
      if (!refreshToken) throw notLoggedIn(this.#transport.baseUrl);
      try {
        const result = await this.#exchangeRefresh(refreshToken, options);
        await this.#session.store.set(tokenSetFrom(result.data));
        return result;
      } catch (error) {
        // As for the automatic refresh: a refused token ends the session.
        if (isApiError(error) && error.status < 500 && error.status !== 429) await this.#session.store.clear();
        throw error;
      }
    })();
    return new APIPromise(exchange, (result) => result.data as TokenPair);
  }

  /**
   * Revokes the stored refresh token on the server and clears the token store.
   * @example
   * await client.auth.logout();
   */
  async logout(options?: RequestOptions): Promise<void> {
    const refreshToken = (await this.#session.store.get())?.refreshToken;
    try {
      if (refreshToken) {
        await callEmpty(this.#transport, 'logout', {
          method: 'POST',
          path: '/auth/logout',
          body: { refresh_token: refreshToken },
          secured: true,
          sendsCredentials: true,
          options,
        });
      }
    } finally {
      await this.#session.store.clear();
    }
  }

  /**
   * The user the access token belongs to.
   * @example
   * const { username, roles } = await client.auth.me();
   */
  me(options?: RequestOptions): APIPromise<User> {
    return callJson(this.#transport, 'getCurrentUser', { method: 'GET', path: '/auth/me', secured: true, options });
  }

  #exchangeRefresh(refreshToken: string, options?: RequestOptions): ReturnType<typeof exchangeJson<'refreshToken'>> {
    return exchangeJson(this.#transport, 'refreshToken', {
      method: 'POST',
      path: '/auth/refresh',
      body: { refresh_token: refreshToken },
      secured: false,
      sendsCredentials: true,
      // A refresh token works once: a blind retry could spend it and lose the session.
      options: { ...options, retries: 0 },
    });
  }
}

function notLoggedIn(baseUrl: string): AuthenticationError {
  const url = `${baseUrl}/auth/refresh`;
  return new AuthenticationError(
    401,
    { type: 'about:blank', title: 'Not logged in', status: 401, detail: 'no refresh token is stored' },
    new Headers(),
    { operation: 'refreshToken', method: 'POST', url, requestId: 'none' },
    'Log in first',
  );
}
