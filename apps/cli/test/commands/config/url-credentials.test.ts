// An API URL with a user name or password in it (`http://alice:pw@host`) is refused wherever it
// comes from, and what is in it is never printed: not in errors, hints, --json or config list.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Result, type Sandbox, sandbox } from '../../harness.js';

let box: Sandbox;
let withCredentials: string;
beforeAll(async () => {
  box = await sandbox({ tasks: 3 });
  await box.login();
  withCredentials = box.url.replace('http://', 'http://alice:s3cret-pw@');
});
afterAll(async () => {
  await box.stop();
});

function expectRefused(result: Result, from: string): void {
  expect(result.code, result.stderr).toBe(2);
  const everything = result.stdout + result.stderr;
  expect(everything).toContain(`${from} must not contain a user name or password`);
  expect(everything).toContain(box.url.replace('http://', 'http://[REDACTED]@'));
  for (const secret of ['s3cret-pw', 'alice']) expect(everything).not.toContain(secret);
}

it('--api-url: every command refuses it, text and --json, without showing the user name or password', async () => {
  for (const args of [['task', 'list'], ['task', 'list', '--json'], ['status', 'health'], ['sync'], ['auth', 'status'], ['api', 'GET', '/api/v1/tasks']]) {
    expectRefused(await box.run([...args, '--api-url', withCredentials]), '--api-url');
  }
});

it('DTM_API_URL and the config file: the same, and config set refuses to keep it (config set with a good URL repairs it)', async () => {
  const env = { DTM_API_URL: withCredentials };
  expectRefused(await box.run(['task', 'show', 'TASK-000001'], { env }), 'DTM_API_URL');
  expectRefused(await box.run(['config', 'list'], { env }), 'DTM_API_URL');

  expectRefused(await box.run(['config', 'set', 'api-url', withCredentials], { env: { DTM_API_URL: undefined } }), 'api-url');
  const file = join(box.configDir, 'config.json');
  await writeFile(file, JSON.stringify({ 'api-url': withCredentials }));
  const fromFile = await box.run(['task', 'list'], { env: { DTM_API_URL: undefined } });
  expectRefused(fromFile, `api-url in ${file}`);
  const repaired = await box.run(['config', 'set', 'api-url', box.url], { env: { DTM_API_URL: undefined } });
  expect(repaired.code, repaired.stderr).toBe(0);
  expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ 'api-url': box.url });
});
