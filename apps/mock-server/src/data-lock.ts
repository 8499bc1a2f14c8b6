import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';

/** Another running process holds the data file: two servers saving one file would lose each other's changes. */
export class DataFileInUseError extends Error {
  override readonly name = 'DataFileInUseError';
  readonly file: string;
  readonly pid: number;

  constructor(file: string, pid: number) {
    super(`${file} is in use by another dtm-mock (pid ${pid}): stop that one, or pick another file with --data FILE, or run with --memory`);
    this.file = file;
    this.pid = pid;
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the lock if it is still this process's (a stale-lock takeover may have replaced it). */
function release(lock: string): void {
  try {
    if (readFileSync(lock, 'utf8') === String(process.pid)) unlinkSync(lock);
  } catch {
    // Gone already: nothing to release.
  }
}

/**
 * Takes `<file>.lock` for this process, holding its pid, or throws `DataFileInUseError` when
 * a live process holds it; a lock left by a process that is gone (killed) is taken over.
 * The lock goes when this process exits, however it exits short of SIGKILL.
 */
export async function lockDataFile(file: string): Promise<void> {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      process.once('exit', () => {
        release(lock);
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`cannot write next to the data file ${file}: ${(error as Error).message}`, { cause: error });
      }
    }
    const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) throw new DataFileInUseError(file, holder);
    await rm(lock, { force: true });
  }
  throw new Error(`could not take ${lock}: another dtm-mock is starting with the same data file`);
}
