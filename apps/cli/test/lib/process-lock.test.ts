import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { withProcessLock } from '../../src/lib/process-lock.js';

let dir: string;
let holder: ChildProcess | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtm-lock-'));
});
afterEach(async () => {
  holder?.kill('SIGKILL');
  holder = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Another process that takes the lock and says so, then holds it until killed (through better-sqlite3, or node:sqlite where that does not load). */
async function holdInAnotherProcess(file: string): Promise<ChildProcess> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `let db;
try { db = new (require(${JSON.stringify(driver)}))(${JSON.stringify(file)}); } catch { db = new (require('node:sqlite').DatabaseSync)(${JSON.stringify(file)}); }
db.exec('BEGIN IMMEDIATE'); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--no-warnings', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return child;
}

it('runs the work once no other process holds the lock, also after the holder was killed', async () => {
  const file = join(dir, 'credentials.lock');
  holder = await holdInAnotherProcess(file);
  const order: string[] = [];
  const waiting = withProcessLock(file, () => {
    order.push('work');
    return Promise.resolve(42);
  });
  // The holder is still alive: the work waits; killing it (no cleanup of its own) releases the lock.
  await new Promise((resolve) => setImmediate(resolve));
  order.push('kill');
  holder.kill('SIGKILL');
  expect(await waiting).toBe(42);
  expect(order).toEqual(['kill', 'work']);
});

it('one holder at a time within a process too, and says who waits too long', async () => {
  const file = join(dir, 'credentials.lock');
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 5 }, () =>
      withProcessLock(file, async () => {
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setImmediate(resolve));
        inside--;
      }),
    ),
  );
  expect(most).toBe(1);
  holder = await holdInAnotherProcess(file);
  await expect(withProcessLock(file, () => Promise.resolve(), 50)).rejects.toThrow(/Another dtm process has held the lock .*credentials\.lock for more than 0 s/);
});
