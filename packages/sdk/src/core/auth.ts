/** The tokens of one session. */
export interface TokenSet {
  /** The bearer token sent as `Authorization: Bearer …`. */
  accessToken: string;
  /** Absent for a plain access token (e.g. from DTM_TOKEN): such a session cannot be refreshed. */
  refreshToken?: string;
  /** When the access token expires (epoch ms), if known. */
  expiresAt?: number;
  /** When the refresh token expires (epoch ms), if known. */
  refreshExpiresAt?: number;
}

/**
 * Where the client keeps its tokens. Implement it to keep tokens in a keychain, a file or a
 * database; methods may be async.
 */
export interface TokenStore {
  /** The stored tokens; undefined when there are none (not logged in). Called before every secured request. */
  get(): TokenSet | undefined | Promise<TokenSet | undefined>;
  /** Replaces the stored tokens, after a login or a refresh. */
  set(tokens: TokenSet): void | Promise<void>;
  /** Forgets the tokens, after a logout or a refused refresh. */
  clear(): void | Promise<void>;
  /**
   * Runs `work` holding a lock shared by everything that uses the same stored tokens (other
   * clients, other processes). Optional: implement it for a store that several processes
   * share. The client refreshes under it and reads the tokens again first, so a token another
   * holder just obtained is used, not refreshed again (a rotated refresh token works once; a
   * second use revokes the session).
   */
  lock?<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * The paths of the operations whose request body carries credentials (a password or a refresh
 * token): a 401 from them is their answer, never a reason to refresh and send them again.
 */
export const credentialPaths: ReadonlySet<string> = new Set(['/auth/login', '/auth/refresh', '/auth/logout']);

/** Keeps tokens in memory for the life of the client. */
export class MemoryTokenStore implements TokenStore {
  #tokens: TokenSet | undefined;

  constructor(tokens?: TokenSet) {
    this.#tokens = tokens;
  }

  /** The tokens held, or undefined. */
  get(): TokenSet | undefined {
    return this.#tokens;
  }

  /** Holds a copy of `tokens`. */
  set(tokens: TokenSet): void {
    this.#tokens = { ...tokens };
  }

  /** Forgets the tokens. */
  clear(): void {
    this.#tokens = undefined;
  }
}
