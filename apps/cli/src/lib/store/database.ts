// The local store's database: one SQLite file per API server, in a folder of its own under
// the data dir (`servers/<host>_<port>-<hash>/store.db`), so that another `--api-url` never
// touches this server's data. WAL mode; the outbox's transactions are synchronous=FULL: a change reported as queued is
// on disk. Concurrent `dtm` processes wait for each other through SQLite's busy timeout.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../errors.js';
import { migrations } from './schema.js';
import { type Database, openSqlite, sqliteCode } from './sqlite.js';

export type { Database } from './sqlite.js';

/** The folder of one API server's local data: its store, its CSV mirror. */
export function serverDir(dataDir: string, apiUrl: string): string {
  const url = new URL(apiUrl);
  const readable = `${url.hostname}_${url.port || (url.protocol === 'https:' ? '443' : '80')}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const hash = createHash('sha256').update(apiUrl).digest('hex').slice(0, 8);
  return join(dataDir, 'servers', `${readable}-${hash}`);
}

export function storeFile(dir: string): string {
  return join(dir, 'store.db');
}

/** How long a command waits for another `dtm` holding the database's write lock. */
const busyTimeoutMs = 15_000;

/** SQLite's codes for a file that is not a database, or a damaged one. */
const damagedCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE']);

export function isDamaged(error: unknown): boolean {
  return damagedCodes.has(sqliteCode(error) ?? '');
}

/** The one error for a damaged store file: what, where, and the repair that keeps the queue. */
export function damagedStoreError(file: string, cause: unknown): CliError {
  return new CliError(`The local store ${file} is damaged (${cause instanceof Error ? cause.message : String(cause)}).`, {
    code: 'store_damaged',
    hint: 'Run `dtm sync --rebuild`: it keeps the changes still queued, moves the damaged file aside and reads everything from the API again.',
    cause,
  });
}

/** Opens (and creates or migrates) the store of the server whose folder is `dir`. */
export function openDatabase(dir: string, apiUrl: string): Database {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = storeFile(dir);
  const created = !existsSync(file);
  // Created private before SQLite opens it (its -wal and -shm files take the same mode).
  if (created) closeSync(openSync(file, 'a', 0o600));
  let db: Database | undefined;
  try {
    db = openSqlite(file, { timeout: busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    // The outbox's transactions switch to FULL (LocalStore.durable); the records are a cache.
    db.pragma('synchronous = NORMAL');
    migrate(db);
    const owner = db.prepare("SELECT value FROM meta WHERE key = 'api_url'").get() as { value: string } | undefined;
    if (owner === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('api_url', ?)").run(apiUrl);
    else if (owner.value !== apiUrl) throw new CliError(`${file} holds the data of ${owner.value}, not of ${apiUrl}.`, { code: 'store_mismatch' });
  } catch (error) {
    db?.close();
    if (isDamaged(error)) throw damagedStoreError(file, error);
    throw error;
  }
  // Says which server the folder belongs to, for a person looking at the data dir.
  if (created) writeFileSync(join(dir, 'server.txt'), `${apiUrl}\n`, { mode: 0o600 });
  return db;
}

/** Opens a store file as it is, read-only, without migrating it (to read what a damaged file still holds). */
export function openReadOnly(file: string): Database {
  return openSqlite(file, { readonly: true, timeout: busyTimeoutMs });
}

/**
 * Applies the migrations the file has not seen yet (`PRAGMA user_version` counts them). Each
 * runs in an immediate transaction that reads the version again once it holds the write
 * lock, so two processes opening a new store at the same moment apply it once; a store that
 * is up to date is only read.
 */
function migrate(db: Database): void {
  const version = (): number => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new CliError(`The local store was written by a newer dtm (schema ${current}; this one knows ${migrations.length}).`, {
        code: 'store_too_new',
        hint: 'Update dtm, or point DTM_DATA_DIR elsewhere.',
      });
    }
    return current;
  };
  while (version() < migrations.length) {
    db.transaction(() => {
      const current = version();
      if (current === migrations.length) return;
      db.exec(migrations[current] ?? '');
      db.pragma(`user_version = ${current + 1}`);
    }).immediate();
  }
}
