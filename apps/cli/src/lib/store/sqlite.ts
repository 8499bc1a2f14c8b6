// The SQLite binding under the local store: better-sqlite3 where it loads, else Node's own
// `node:sqlite` (Node 22.16 and later). better-sqlite3 is a native addon built for one Node ABI
// at install: after a switch to another Node (nvm, a CI image), or where it could not be built,
// it does not load, and the store still opens through node:sqlite. Both are used through the
// part of better-sqlite3's API the store needs (`Database` below); the node:sqlite side is
// adapted to it here, so the rest of the store knows one API.
import { createRequire } from 'node:module';
import { CliError } from '../errors.js';

export type SqlValue = string | number | bigint | Buffer | null;

export interface Statement {
  run(...params: SqlValue[]): { changes: number };
  get(...params: SqlValue[]): unknown;
  all(...params: SqlValue[]): unknown[];
  iterate(...params: SqlValue[]): IterableIterator<unknown>;
}

/** A transaction function (BEGIN … COMMIT, or a savepoint when nested); `immediate` takes the write lock first. */
export type Transaction<F extends (...args: never[]) => unknown> = F & { immediate: F };

export interface Database {
  readonly open: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  /** `PRAGMA <source>`: its rows, or with `simple` the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<F extends (...args: never[]) => unknown>(work: F): Transaction<F>;
  function(name: string, options: { deterministic?: boolean; varargs?: boolean }, implementation: (...args: never[]) => unknown): unknown;
  close(): unknown;
}

export interface OpenOptions {
  readonly?: boolean;
  /** How long to wait for another connection's write lock (ms). */
  timeout: number;
}

type Opener = (file: string, options: OpenOptions) => Database;
let opener: Opener | undefined;

/** Opens a SQLite file (created unless `readonly`) with the first binding that loads. */
export function openSqlite(file: string, options: OpenOptions): Database {
  opener ??= loadOpener();
  return opener(file, options);
}

/** The SQLite result code of an error from either binding, by better-sqlite3's names (SQLITE_BUSY, SQLITE_CORRUPT_INDEX…). */
export function sqliteCode(error: unknown): string | undefined {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') return resultCodes.get(errcode) ?? resultCodes.get(errcode & 0xff);
  return undefined;
}

/** The result codes the store tells apart (primary and the extended ones better-sqlite3 names). */
const resultCodes = new Map([
  [5, 'SQLITE_BUSY'],
  [11, 'SQLITE_CORRUPT'],
  [26, 'SQLITE_NOTADB'],
  [267, 'SQLITE_CORRUPT_VTAB'],
  [523, 'SQLITE_CORRUPT_SEQUENCE'],
  [779, 'SQLITE_CORRUPT_INDEX'],
]);

function loadOpener(): Opener {
  let failure: unknown;
  try {
    const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean; timeout: number }) => Database;
    // Its addon is loaded by the first database opened: one in memory tells whether it loads on this Node.
    new BetterSqlite3(':memory:').close();
    return (file, { readonly = false, timeout }) => new BetterSqlite3(file, { readonly, fileMustExist: readonly, timeout });
  } catch (error) {
    failure = error;
  }
  const nodeSqlite = loadNodeSqlite();
  if (nodeSqlite !== undefined) return (file, options) => new NodeSqliteDatabase(nodeSqlite, file, options);
  throw new CliError(`The local store needs SQLite: better-sqlite3 did not load (${failure instanceof Error ? failure.message.split('\n')[0] : String(failure)}), and Node ${process.versions.node} has no usable node:sqlite.`, {
    code: 'sqlite_missing',
    hint: 'Reinstall dtm with the Node you run it with (npm install --global @dtm/cli), or use Node 22.16 or later, whose node:sqlite dtm uses instead.',
    cause: failure,
  });
}

/** The part of node:sqlite's DatabaseSync used here (Node 20's types have no node:sqlite). */
interface DatabaseSync {
  readonly isOpen: boolean;
  readonly isTransaction: boolean;
  prepare(sql: string): Statement;
  exec(sql: string): void;
  function(name: string, options: { deterministic?: boolean; varargs?: boolean }, implementation: (...args: never[]) => unknown): void;
  close(): void;
}
type DatabaseSyncClass = new (file: string, options: { readOnly?: boolean; timeout?: number }) => DatabaseSync;

/** node:sqlite's DatabaseSync where it has what the store uses (timeout, isTransaction: 22.16, 23.10), without its ExperimentalWarning on stderr. */
function loadNodeSqlite(): DatabaseSyncClass | undefined {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 16) || (major === 23 && minor < 10)) return undefined;
  const emitWarning = Reflect.get(process, 'emitWarning') as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    if (!(typeof warning === 'string' ? warning : warning.message).includes('SQLite')) Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
  try {
    return (process.getBuiltinModule('node:sqlite') as { DatabaseSync: DatabaseSyncClass } | undefined)?.DatabaseSync;
  } finally {
    Reflect.set(process, 'emitWarning', emitWarning);
  }
}

let savepoints = 0;

/** node:sqlite behind better-sqlite3's API (as far as the store uses it). */
class NodeSqliteDatabase implements Database {
  readonly #db: DatabaseSync;

  constructor(DatabaseSync: DatabaseSyncClass, file: string, { readonly = false, timeout }: OpenOptions) {
    this.#db = new DatabaseSync(file, { readOnly: readonly, timeout });
  }

  get open(): boolean {
    return this.#db.isOpen;
  }

  prepare(sql: string): Statement {
    return this.#db.prepare(sql);
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.#db.prepare(`PRAGMA ${source}`).all() as Record<string, unknown>[];
    return options.simple === true ? Object.values(rows[0] ?? {})[0] : rows;
  }

  transaction<F extends (...args: never[]) => unknown>(work: F): Transaction<F> {
    const run = (begin: string) =>
      ((...args: Parameters<F>) => {
        if (this.#inTransaction()) return this.#savepoint(work, args);
        this.#db.exec(begin);
        try {
          const result = work(...args);
          this.#db.exec('COMMIT');
          return result;
        } catch (error) {
          // SQLite may have rolled back already (some errors end the transaction themselves).
          if (this.#inTransaction()) this.#db.exec('ROLLBACK');
          throw error;
        }
      }) as F;
    return Object.assign(run('BEGIN'), { immediate: run('BEGIN IMMEDIATE') });
  }

  #inTransaction(): boolean {
    return this.#db.isTransaction;
  }

  /** A transaction inside a transaction: a savepoint, as better-sqlite3 nests them. */
  #savepoint<F extends (...args: never[]) => unknown>(work: F, args: Parameters<F>): ReturnType<F> {
    const name = `dtm_${++savepoints}`;
    this.#db.exec(`SAVEPOINT ${name}`);
    try {
      const result = work(...args) as ReturnType<F>;
      this.#db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.#db.exec(`ROLLBACK TO ${name}`);
      this.#db.exec(`RELEASE ${name}`);
      throw error;
    }
  }

  function(name: string, options: { deterministic?: boolean; varargs?: boolean }, implementation: (...args: never[]) => unknown): void {
    this.#db.function(name, options, implementation);
  }

  close(): void {
    this.#db.close();
  }
}
