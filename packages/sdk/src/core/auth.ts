/** The tokens of one session. */
export interface TokenSet {
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
  get(): TokenSet | undefined | Promise<TokenSet | undefined>;
  set(tokens: TokenSet): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** Keeps tokens in memory for the life of the client. */
export class MemoryTokenStore implements TokenStore {
  #tokens: TokenSet | undefined;

  constructor(tokens?: TokenSet) {
    this.#tokens = tokens;
  }

  get(): TokenSet | undefined {
    return this.#tokens;
  }

  set(tokens: TokenSet): void {
    this.#tokens = { ...tokens };
  }

  clear(): void {
    this.#tokens = undefined;
  }
}
