// `dtm sync --watch`: a change made on the server reaches the local store and the CSV mirror
// while the watcher long-polls the change feed, and Ctrl-C (SIGINT) ends it cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DtmClient } from '@dtm/sdk';
import { type Sandbox, bin, sandbox } from '../harness.js';
import { mirrorPathOf, storedRecords } from './support/store-files.js';

let box: Sandbox;
let watcher: ChildProcess | undefined;

beforeAll(async () => {
  box = await sandbox({ tasks: 20 });
  await box.login();
});
afterAll(async () => {
  watcher?.kill('SIGKILL');
  await box.stop();
});

/** Polls `check` until it holds (or fails the test after `ms`); no fixed sleeps. */
async function eventually(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('keeps the store and the mirror current until SIGINT', async () => {
  expect((await box.run(['sync'])).code).toBe(0);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('DTM_')) env[key] = value;
  Object.assign(env, { DTM_API_URL: box.url, DTM_CONFIG_DIR: box.configDir, DTM_DATA_DIR: box.dataDir, DTM_CREDENTIAL_STORE: 'file', DTM_MIRROR: 'inline' });
  const child = spawn(process.execPath, [bin, 'sync', '--watch', '--interval', '2s'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  watcher = child;
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      resolve(code);
    });
  });
  await eventually(() => stderr.includes('Watching'));

  const api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
  const created = await api.tasks.create({ title: 'Made on the server while watching' });
  const gone = (await api.tasks.list({ limit: 1 })).items[0];
  if (gone === undefined) throw new Error('the mock has no tasks');
  await api.tasks.delete(gone.id);

  await eventually(() => {
    const ids = storedRecords(box.dataDir, box.url, 'tasks').map((task) => task.id);
    return ids.includes(created.id) && !ids.includes(gone.id);
  });
  await eventually(async () => (await readFile(mirrorPathOf(box.dataDir, box.url, 'tasks'), 'utf8').catch(() => '')).includes('Made on the server while watching'));

  child.kill('SIGINT');
  expect(await exited).toBe(0);
  watcher = undefined;
});
