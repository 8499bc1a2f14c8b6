// A lock file shared by every `dtm` process on the machine: created with O_EXCL, holding the
// owner's pid. A lock whose owner is gone (killed, crashed) is taken over, so a SIGKILL never
// blocks the next command.
import { open, stat, unlink } from 'node:fs/promises';
import { alive } from '../files.js';

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
}

async function tryAcquire(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(String(process.pid));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Read the owner and the file's identity together, and remove only that same file: a
  // process that took the lock over meanwhile keeps its own (the window left is microseconds).
  let owner = Number.NaN;
  let seen: { ino: number; mtimeMs: number };
  try {
    const handle = await open(file, 'r');
    try {
      seen = await handle.stat();
      owner = Number.parseInt(await handle.readFile('utf8'), 10);
    } finally {
      await handle.close();
    }
  } catch {
    return false; // gone meanwhile: try again
  }
  if (owner === process.pid || (Number.isInteger(owner) && owner > 0 && alive(owner))) return false;
  // An empty file is an owner killed between create and write, or one writing right now.
  if (!Number.isInteger(owner) && Date.now() - seen.mtimeMs < 1000) return false;
  const now = await stat(file).catch(() => undefined);
  if (now?.ino !== seen.ino) return false;
  await unlink(file).catch(() => undefined);
  return false;
}

/** Runs `work` holding the lock `file`; waits for another holder, takes over a dead one's. */
export async function withLock<T>(file: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let wait = 2;
  while (!(await tryAcquire(file))) {
    if (Date.now() > deadline) {
      throw new Error(`another dtm process holds ${file}; if none is running, delete the file`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 50);
  }
  try {
    return await work();
  } finally {
    await unlink(file).catch(() => undefined);
  }
}

/** Like withLock, but answers undefined at once when another live process holds the lock. */
export async function tryWithLock<T>(file: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
  // A second try: the first one may only have cleared a dead holder's lock.
  if (!(await tryAcquire(file)) && !(await tryAcquire(file))) return undefined;
  try {
    return { value: await work() };
  } finally {
    await unlink(file).catch(() => undefined);
  }
}
