import { mkdirSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenSet, TokenStore } from '@dtm/sdk';
import { CliError, ExitCode } from './errors.js';
import { writeFileAtomically } from './files.js';
import { jwtClaims } from './jwt.js';
import { configDir } from './paths.js';

/** A token store that can say where it keeps the tokens, for `dtm auth status`. */
export interface CredentialStore extends TokenStore {
  /** e.g. "OS keychain (service dtm)" or "file ~/.config/dtm/credentials.json". */
  readonly location: string;
  readonly kind: 'keychain' | 'file' | 'env';
}

const service = 'dtm';

/** The lock every `dtm` process takes to refresh the tokens it shares with the others (see TokenStore.lock). */
const lockFileIn = (dir: string): string => join(dir, 'credentials.lock');

/** Taken only to refresh: the lock's module (and SQLite) stay off every other command's path. */
async function withCredentialsLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const { withProcessLock } = await import('./process-lock.js');
  return withProcessLock(file, work);
}

/** Tokens of one API URL in a 0600 JSON file in the config dir (one entry per API URL). */
export class FileCredentialStore implements CredentialStore {
  readonly kind = 'file';
  readonly location: string;
  readonly #path: string;
  readonly #apiUrl: string;
  readonly #dir: string;

  constructor(apiUrl: string, env: NodeJS.ProcessEnv = process.env) {
    this.#dir = configDir(env);
    this.#path = join(this.#dir, 'credentials.json');
    this.#apiUrl = apiUrl;
    this.location = `file ${this.#path} (mode 0600)`;
  }

  async #readAll(): Promise<Record<string, TokenSet>> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    try {
      const data = JSON.parse(text) as unknown;
      return typeof data === 'object' && data !== null ? (data as Record<string, TokenSet>) : {};
    } catch {
      throw new CliError(`The credentials file ${this.#path} is damaged.`, {
        hint: 'Delete it and run `dtm auth login` again.',
        code: 'credentials',
      });
    }
  }

  async get(): Promise<TokenSet | undefined> {
    return (await this.#readAll())[this.#apiUrl];
  }

  async set(tokens: TokenSet): Promise<void> {
    const all = await this.#readAll();
    all[this.#apiUrl] = tokens;
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    writeFileAtomically(this.#path, `${JSON.stringify(all, null, 2)}\n`, 0o600);
  }

  async clear(): Promise<void> {
    const all = await this.#readAll();
    if (!(this.#apiUrl in all)) return;
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by API URL
    delete all[this.#apiUrl];
    if (Object.keys(all).length === 0) await unlink(this.#path).catch(() => undefined);
    else writeFileAtomically(this.#path, `${JSON.stringify(all, null, 2)}\n`, 0o600);
  }

  lock<T>(work: () => Promise<T>): Promise<T> {
    return withCredentialsLock(lockFileIn(this.#dir), work);
  }
}

interface KeyringEntry {
  getPassword(): string | null | undefined;
  setPassword(password: string): void;
  deletePassword(): boolean;
}

/** Tokens in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service). */
export class KeychainCredentialStore implements CredentialStore {
  readonly kind = 'keychain';
  readonly location = `OS keychain (service "${service}")`;
  readonly #entry: KeyringEntry;
  readonly #lockFile: string;

  constructor(entry: KeyringEntry, lockFile: string) {
    this.#entry = entry;
    this.#lockFile = lockFile;
  }

  lock<T>(work: () => Promise<T>): Promise<T> {
    return withCredentialsLock(this.#lockFile, work);
  }

  get(): TokenSet | undefined {
    let text: string | null | undefined;
    try {
      text = this.#entry.getPassword();
    } catch (error) {
      throw keychainFailed(error);
    }
    if (text === null || text === undefined || text === '') return undefined;
    try {
      return JSON.parse(text) as TokenSet;
    } catch {
      return undefined;
    }
  }

  set(tokens: TokenSet): void {
    try {
      this.#entry.setPassword(JSON.stringify(tokens));
    } catch (error) {
      throw keychainFailed(error);
    }
  }

  clear(): void {
    try {
      this.#entry.deletePassword();
    } catch {
      // Nothing stored: nothing to clear.
    }
  }
}

/** A keychain that is there yet refuses access: no Secret Service on D-Bus (a server, a container), or a locked keychain. */
function keychainFailed(error: unknown): CliError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CliError(`The OS keychain cannot be used (${reason}).`, {
    hint: 'Without a desktop session (no Secret Service over D-Bus), run `dtm config set credential-store file` to keep tokens in a 0600 file instead.',
    code: 'credentials',
    cause: error,
  });
}

/** A fixed token from `DTM_TOKEN`: used as it is, never stored, never refreshed. */
export class EnvCredentialStore implements CredentialStore {
  readonly kind = 'env';
  readonly location = 'environment variable DTM_TOKEN';
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  get(): TokenSet {
    return { accessToken: this.#token };
  }

  set(): void {
    // DTM_TOKEN is read-only: a refreshed token lives for this process only.
  }

  clear(): void {
    // Nothing stored.
  }
}

async function openKeychain(apiUrl: string, env: NodeJS.ProcessEnv): Promise<KeychainCredentialStore | undefined> {
  try {
    const { Entry } = await import('@napi-rs/keyring');
    return new KeychainCredentialStore(new Entry(service, apiUrl), lockFileIn(configDir(env)));
  } catch {
    return undefined; // no prebuilt keyring module for this platform
  }
}

/**
 * The keychain when it works, else the file: a keychain can exist yet refuse access (a
 * locked or absent Secret Service on a server), which shows only when it is used.
 */
export class AutoCredentialStore implements CredentialStore {
  #current: CredentialStore;
  readonly #file: FileCredentialStore;

  constructor(keychain: KeychainCredentialStore, file: FileCredentialStore) {
    this.#current = keychain;
    this.#file = file;
  }

  get kind(): CredentialStore['kind'] {
    return this.#current.kind;
  }

  get location(): string {
    return this.#current.location;
  }

  async #use<R>(action: (store: CredentialStore) => R | Promise<R>): Promise<R> {
    if (this.#current.kind === 'keychain') {
      try {
        return await action(this.#current);
      } catch {
        this.#current = this.#file;
      }
    }
    return action(this.#current);
  }

  async get(): Promise<TokenSet | undefined> {
    // Tokens are in the file only when the keychain failed when they were saved: then
    // use the file and skip the keychain, whose failure can cost tens of milliseconds.
    if (this.#current.kind === 'keychain') {
      const saved = await this.#file.get();
      if (saved !== undefined) {
        this.#current = this.#file;
        return saved;
      }
    }
    return this.#use((store) => store.get());
  }

  set(tokens: TokenSet): Promise<void> {
    return this.#use((store) => store.set(tokens));
  }

  async clear(): Promise<void> {
    await this.#use((store) => store.clear());
    await this.#file.clear();
  }

  lock<T>(work: () => Promise<T>): Promise<T> {
    return this.#file.lock(work);
  }
}

/**
 * The store for an API URL: `DTM_TOKEN` when set; else the keychain when one is available
 * (`credential-store` auto or keychain); else the 0600 file.
 */
export async function openCredentialStore(
  apiUrl: string,
  preference: 'auto' | 'keychain' | 'file',
  env: NodeJS.ProcessEnv = process.env,
): Promise<CredentialStore> {
  const token = env.DTM_TOKEN;
  if (token !== undefined && token !== '') return new EnvCredentialStore(token);
  const file = new FileCredentialStore(apiUrl, env);
  if (preference === 'file') return file;
  const keychain = await openKeychain(apiUrl, env);
  if (preference === 'auto') return keychain ? new AutoCredentialStore(keychain, file) : file;
  if (keychain) return keychain;
  throw new CliError('No OS keychain is available on this machine.', {
    hint: 'Run `dtm config set credential-store file` to keep tokens in a 0600 file instead.',
    code: 'credentials',
  });
}

/** "Not logged in" as the user sees it: exit code 4 and how to log in. */
export function notLoggedIn(apiUrl: string): CliError {
  return new CliError(`Not logged in to ${apiUrl}.`, {
    exitCode: ExitCode.authRequired,
    hint: 'Run `dtm auth login` (or set DTM_TOKEN), then try again.',
    code: 'auth_required',
  });
}

/**
 * A token as it may be shown: at most its first and last 4 characters, never more than a
 * quarter of it at each end, e.g. `eyJh…X9k2`. Short tokens show nothing but the ellipsis.
 */
export function maskToken(token: string): string {
  const shown = Math.min(4, Math.floor(token.length / 4));
  return shown === 0 ? '…' : `${token.slice(0, shown)}…${token.slice(-shown)}`;
}

/**
 * When the access token expires (epoch ms): the stored `expiresAt`, else the `exp` claim
 * of a JWT (a DTM_TOKEN carries no expiry of its own). Undefined when it cannot be told.
 */
export function tokenExpiry(tokens: TokenSet): number | undefined {
  return tokens.expiresAt ?? jwtClaims(tokens.accessToken)?.expiresAt;
}

/** "expires in 12 min", "expired 3 h 5 min ago", "expires in 40 s". */
export function describeExpiry(expiresAt: number, now = Date.now()): string {
  const left = expiresAt - now;
  const span = humanSpan(Math.abs(left));
  return left > 0 ? `expires in ${span}` : `expired ${span} ago`;
}

/** A duration in words, to the minute past a minute: "40 s", "12 min", "3 h 5 min", "6 d 2 h". */
export function humanSpan(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}
