// The SQLite binding under the store (src/lib/store/sqlite.ts), through whichever binding loads
// on the Node running the tests: better-sqlite3 here, node:sqlite on Node 22 and 24 in
// `npm run test:node-matrix` (where this repo's better-sqlite3 is built for another Node). Both
// must behave alike: transactions and nested savepoints, pragmas, functions, iteration, the
// error codes the store reads; and without better-sqlite3 the store opens through node:sqlite
// where Node has it, or says what is missing.
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isDamaged } from '../../../src/lib/store/database.js';
import { type Database, openSqlite, sqliteCode } from '../../../src/lib/store/sqlite.js';
import { type Sandbox, sandbox } from '../../harness.js';

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtm-sqlite-'));
  db = openSqlite(join(dir, 'test.db'), { timeout: 0 });
  db.exec('CREATE TABLE t (n INTEGER)');
});
afterEach(async () => {
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

const numbers = (): number[] => (db.prepare('SELECT n FROM t ORDER BY n').all() as { n: number }[]).map((row) => row.n);
const insert = (n: number): number => db.prepare('INSERT INTO t (n) VALUES (?)').run(n).changes;

describe('transactions', () => {
  it('commit what the work did and answer its result; roll it all back when it throws', () => {
    expect(db.transaction(() => insert(1) + insert(2)).immediate()).toBe(2);
    expect(() =>
      db.transaction(() => {
        insert(3);
        throw new Error('no');
      })(),
    ).toThrow('no');
    expect(numbers()).toEqual([1, 2]);
  });

  it('nest as savepoints: an inner failure undoes only the inner work', () => {
    db.transaction(() => {
      insert(1);
      expect(() =>
        db.transaction(() => {
          insert(2);
          throw new Error('inner');
        })(),
      ).toThrow('inner');
      db.transaction(() => insert(3))();
    }).immediate();
    expect(numbers()).toEqual([1, 3]);
  });

  it('immediate takes the write lock: a second connection is busy, by the code the store reads', () => {
    const other = openSqlite(join(dir, 'test.db'), { timeout: 0 });
    try {
      db.transaction(() => {
        insert(1);
        let code: string | undefined;
        try {
          other.exec('BEGIN IMMEDIATE');
        } catch (error) {
          code = sqliteCode(error);
        }
        expect(code).toBe('SQLITE_BUSY');
      }).immediate();
    } finally {
      other.close();
    }
  });
});

it('pragmas, functions with any number of arguments, and row-by-row reads', () => {
  expect(db.pragma('user_version', { simple: true })).toBe(0);
  db.pragma('user_version = 7');
  expect(db.pragma('user_version', { simple: true })).toBe(7);
  expect(db.pragma('user_version')).toEqual([{ user_version: 7 }]);
  db.function('count_args', { deterministic: true, varargs: true }, (...args: never[]) => args.length);
  expect({ ...(db.prepare('SELECT count_args(1, 2, 3) AS n').get() as object) }).toEqual({ n: 3 });
  for (const n of [3, 1, 2]) insert(n);
  expect([...db.prepare('SELECT n FROM t ORDER BY n').iterate()].map((row) => (row as { n: number }).n)).toEqual([1, 2, 3]);
  db.close();
  expect(db.open).toBe(false);
});

it('a file that is not a database is damaged; a missing one does not open read-only', () => {
  const garbage = join(dir, 'garbage.db');
  writeFileSync(garbage, 'this is not a SQLite file, not at all; '.repeat(50));
  let error: unknown;
  try {
    openSqlite(garbage, { timeout: 0 }).exec('SELECT * FROM sqlite_master');
  } catch (caught) {
    error = caught;
  }
  expect(sqliteCode(error)).toBe('SQLITE_NOTADB');
  expect(isDamaged(error)).toBe(true);
  expect(() => openSqlite(join(dir, 'missing.db'), { readonly: true, timeout: 0 })).toThrow();
});

it("reads either binding's error codes, extended ones by better-sqlite3's names", () => {
  expect(sqliteCode(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe('SQLITE_BUSY');
  expect(sqliteCode(Object.assign(new Error('x'), { code: 'ERR_SQLITE_ERROR', errcode: 779 }))).toBe('SQLITE_CORRUPT_INDEX');
  expect(sqliteCode(Object.assign(new Error('x'), { code: 'ERR_SQLITE_ERROR', errcode: 11 }))).toBe('SQLITE_CORRUPT');
  // An extended code without a name here counts as its primary code.
  expect(sqliteCode(Object.assign(new Error('x'), { code: 'ERR_SQLITE_ERROR', errcode: 5 | (1 << 8) }))).toBe('SQLITE_BUSY');
  expect(sqliteCode(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBeUndefined();
  expect(sqliteCode(undefined)).toBeUndefined();
});

describe('without better-sqlite3 (it does not load in this dtm process)', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
    // Loaded before dtm: requiring better-sqlite3 fails as it does when it was built for another Node.
    writeFileSync(
      join(box.dataDir, '..', 'no-better-sqlite3.cjs'),
      "const Module = require('node:module'); const load = Module._load; Module._load = function (request, ...rest) { if (request === 'better-sqlite3') throw new Error('compiled against a different Node.js version'); return load.call(this, request, ...rest); };",
    );
  });
  afterAll(() => box.stop());

  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const hasNodeSqlite = major > 23 || (major === 23 && minor >= 10) || (major === 22 && minor >= 16);

  it(hasNodeSqlite ? 'the store opens through node:sqlite' : `says what is missing (Node ${process.versions.node} has no usable node:sqlite)`, async () => {
    await box.login();
    const env = { NODE_OPTIONS: `--require ${join(box.dataDir, '..', 'no-better-sqlite3.cjs')}` };
    // The online answer does not need the store (keeping it is a --debug line when that fails).
    const list = await box.run(['task', 'list', '--all', '--json'], { env });
    expect(list.code, list.stderr).toBe(0);
    const queued = await box.run(['task', 'create', '--title', 'Queued without better-sqlite3', '--offline', '--json'], { env });
    if (hasNodeSqlite) {
      expect(queued.code, queued.stderr).toBe(3);
      expect(JSON.parse(queued.stdout)).toMatchObject({ title: 'Queued without better-sqlite3' });
      expect(list.stderr + queued.stderr).not.toMatch(/warning/i);
    } else {
      expect(queued.code).toBe(1);
      expect(JSON.parse(queued.stdout)).toEqual({
        error: {
          code: 'sqlite_missing',
          message: `The local store needs SQLite: better-sqlite3 did not load (compiled against a different Node.js version), and Node ${process.versions.node} has no usable node:sqlite.`,
          hint: 'Reinstall dtm with the Node you run it with (npm install --global @dtm/cli), or use Node 22.16 or later, whose node:sqlite dtm uses instead.',
        },
      });
    }
  });
});
