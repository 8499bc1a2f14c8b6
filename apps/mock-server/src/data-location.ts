import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import envPaths from 'env-paths';
import { lockDataFile } from './data-lock.js';

/** The user's data dir for dtm-mock, e.g. ~/.local/share/dtm-mock on Linux. */
export const userDataDir = (): string => envPaths('dtm-mock', { suffix: '' }).data;

/** Where `dtm-mock` keeps its data when no `--data FILE` is given: `DTM_MOCK_DATA_DIR`, else the user's data dir. */
export function defaultDataFile(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.DTM_MOCK_DATA_DIR;
  return join(override !== undefined && override !== '' ? resolve(override) : userDataDir(), 'data.json');
}

/**
 * Gets the data file ready for a start: creates the default data dir (private to the user),
 * locks the file for this process, and with `reset` deletes the kept data, its sessions and
 * secrets included.
 */
export async function prepareDataFile(file: string, { isDefault, reset }: { isDefault: boolean; reset: boolean }): Promise<void> {
  if (isDefault) await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await lockDataFile(file);
  if (reset) await rm(file, { force: true });
}
