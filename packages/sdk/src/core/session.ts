import type { TokenSet, TokenStore } from './auth.js';
import { AuthenticationError, isApiError } from './errors.js';

export type Refresher = (refreshToken: string) => Promise<TokenSet>;

/**
 * The client's tokens and their renewal. A refresh is single-flight: calls that get 401 while
 * one runs wait for it and replay with its token. With a store that has `lock`, the refresh
 * runs under that lock and reads the tokens again first, so clients in other processes
 * sharing the store use a token one of them just obtained instead of spending the rotated
 * refresh token a second time. A refused refresh clears the store.
 */
export class Session {
  readonly store: TokenStore;
  #refresher: Refresher | undefined;
  #inflight: Promise<boolean> | undefined;

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
  refresh(staleToken: string | undefined): Promise<boolean> {
    // Set before the first await: a call arriving while the store is read joins this refresh.
    this.#inflight ??= this.#refreshOnce(staleToken).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  #refreshOnce(staleToken: string | undefined): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      const current = await this.store.get();
      if (!current) return false;
      // Another call (or, under the store's lock, another process) renewed it meanwhile.
      if (current.accessToken !== staleToken) return true;
      const refreshToken = current.refreshToken;
      const refresher = this.#refresher;
      if (!refreshToken || !refresher) return false;
      await this.#renew(refresher, refreshToken);
      return true;
    };
    return this.store.lock ? this.store.lock(run) : run();
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
