import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuthSnapshot } from './auth.js';
import type { ChangeFeedSnapshot } from './changes.js';
import type { StoreSnapshot } from './store.js';

/** The generated demo password and JWT key, kept so that a restart accepts the same login and tokens. */
export interface KeptSecrets {
  password?: string | undefined;
  /** base64url of the HMAC key. */
  jwtSecret?: string | undefined;
}

/**
 * A data file: the store, the change feed's position, the sessions and the generated secrets
 * (each absent in files written before it was kept). Written with mode 0600.
 */
export interface DataFile extends StoreSnapshot {
  changes?: ChangeFeedSnapshot | undefined;
  auth?: AuthSnapshot | undefined;
  secrets?: KeptSecrets | undefined;
}

/** A data file that exists but cannot be used; `file` names it, so a user can move it away or start over. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  readonly file: string;
  /** What is wrong, without advice: "is not valid JSON (…)". */
  readonly reason: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file} ${reason}; move it away to start with fresh data`, options);
    this.file = file;
    this.reason = reason;
  }
}

export const isDataFileError = (error: unknown): error is DataFileError => error instanceof DataFileError;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';

/** The parts added after version 1 came out: each may be absent, but when present it has its shape. */
function extrasAreWellFormed(snapshot: Partial<DataFile>): boolean {
  const { auth, secrets } = snapshot as Record<string, unknown>;
  const authOk = auth === undefined || (isObject(auth) && Array.isArray(auth.sessions) && Array.isArray(auth.refreshTokens));
  const secretsOk = secrets === undefined || (isObject(secrets) && optionalString(secrets.password) && optionalString(secrets.jwtSecret));
  return authOk && secretsOk;
}

/** Reads a data file written by `Saver`; undefined when there is none yet. */
export async function readSnapshot(file: string): Promise<DataFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(file, `is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const snapshot = data as Partial<DataFile> | null;
  if (
    snapshot?.format !== 'dtm-mock-data' ||
    snapshot.version !== 1 ||
    !Array.isArray(snapshot.tasks) ||
    !Array.isArray(snapshot.projects) ||
    !Array.isArray(snapshot.sprints) ||
    !Array.isArray(snapshot.history) ||
    !isObject(snapshot.counters) ||
    !extrasAreWellFormed(snapshot)
  ) {
    throw new DataFileError(file, 'is not a DTM mock data file (format dtm-mock-data, version 1)');
  }
  return snapshot as DataFile;
}

/** Writes a file so that a crash at any moment leaves either the old or the new content, whole. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  // Make the rename itself durable.
  const directory = await open(dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/**
 * Saves the store shortly after each change (changes within `delayMs` share one write),
 * one write at a time, and once more on `flush()`.
 */
export class Saver {
  readonly #file: string;
  readonly #snapshot: () => DataFile;
  readonly #delayMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string, snapshot: () => DataFile, options: { delayMs?: number; onError: (error: unknown) => void }) {
    this.#file = file;
    this.#snapshot = snapshot;
    this.#delayMs = options.delayMs ?? 50;
    this.#onError = options.onError;
  }

  schedule(): void {
    this.#dirty = true;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#write();
    }, this.#delayMs);
  }

  /** Writes pending changes now and waits until they are on disk. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#write();
  }

  #write(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        await writeAtomically(this.#file, JSON.stringify(this.#snapshot()));
      } catch (error) {
        this.#dirty = true;
        this.#onError(error);
      }
    });
    return this.#writing;
  }
}
