// A lock between dtm processes, held as an open write transaction on a small SQLite file: the
// operating system drops it when its holder exits, also when it is killed, so a lock is never
// left behind by a dead process. Waiting is asynchronous (Ctrl-C still works meanwhile).
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from './errors.js';
import { openSqlite, sqliteCode } from './store/sqlite.js';

/** Runs `work` while no other process holds the lock `file`; waits for it up to `timeoutMs`. */
export async function withProcessLock<T>(file: string, work: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  const db = openSqlite(file, { timeout: 0 });
  try {
    const started = Date.now();
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        db.exec('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        if (sqliteCode(error) !== 'SQLITE_BUSY') throw error;
        if (Date.now() - started > timeoutMs) {
          throw new CliError(`Another dtm process has held the lock ${file} for more than ${Math.round(timeoutMs / 1000)} s.`, {
            hint: 'Wait for the other dtm command to finish (or stop it), then try again.',
            code: 'locked',
          });
        }
        await sleep(delay);
      }
    }
    try {
      return await work();
    } finally {
      db.exec('ROLLBACK');
    }
  } finally {
    db.close();
  }
}
