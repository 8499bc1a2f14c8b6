import type { TokenSet, TokenStore } from './auth.js';
import { AuthenticationError, isApiError } from './errors.js';

export type Refresher = (refreshToken: string) => Promise<TokenSet>;

/**
 * The client's tokens and their renewal. When several calls get 401 at once, one refresh
 * runs and the others wait for it; a failed refresh clears the store.
 */
export class Session {
  readonly store: TokenStore;
  #refresher: Refresher | undefined;
  #inflight: Promise<void> | undefined;

  constructor(store: TokenStore) {
    this.store = store;
  }

  /** Set by the client once the transport exists (the refresh call goes through it). */
  useRefresher(refresher: Refresher): void {
    this.#refresher = refresher;
  }

  async accessToken(): Promise<string | undefined> {
    return (await this.store.get())?.accessToken;
  }

  /**
   * Renews the tokens after `staleToken` was refused. Resolves true when a newer token is
   * available to replay with, false when the session cannot be refreshed.
   */
  async refresh(staleToken: string | undefined): Promise<boolean> {
    if (this.#inflight) {
      await this.#inflight;
      return true;
    }
    const current = await this.store.get();
    if (!current) return false;
    if (current.accessToken !== staleToken) return true;
    const refreshToken = current.refreshToken;
    const refresher = this.#refresher;
    if (!refreshToken || !refresher) return false;
    this.#inflight = this.#renew(refresher, refreshToken).finally(() => {
      this.#inflight = undefined;
    });
    await this.#inflight;
    return true;
  }

  async #renew(refresher: Refresher, refreshToken: string): Promise<void> {
    try {
      await this.store.set(await refresher(refreshToken));
    } catch (error) {
      // The server refused the refresh token: the session is over. Network failures and
      // server errors leave the tokens alone, so a later call can still refresh.
      if (isApiError(error) && error.status < 500 && error.status !== 429) {
        await this.store.clear();
        if (error instanceof AuthenticationError) throw error;
        throw new AuthenticationError(
          401,
          { ...error.problem, title: 'Session expired' },
          error.headers,
          error,
          'Log in again',
        );
      }
      throw error;
    }
  }
}
