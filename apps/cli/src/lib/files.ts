import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that a crash at any moment leaves the old or the new content, whole.
 * Synchronous: a process that exits (or is told to) while it runs cannot leave the temporary
 * file behind, as an await between writing and renaming could.
 */
export function writeFileAtomically(file: string, content: string, mode = 0o600): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = openSync(temporary, 'w', mode);
  try {
    writeSync(handle, content, null, 'utf8');
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  try {
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
    throw error;
  }
  removeDeadTemporaries(file);
}

/** Temporary files of this file left by processes that were killed before their rename. */
function removeDeadTemporaries(file: string): void {
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length).split('.')[0]) : Number.NaN;
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    try {
      unlinkSync(join(dirname(file), name));
    } catch {
      // another process removed it first
    }
  }
}

/** True while a process with this pid runs (or exists under another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
