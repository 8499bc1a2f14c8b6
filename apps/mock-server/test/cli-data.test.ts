// dtm-mock keeps its data, the demo password, the JWT key and the logins across restarts by
// default (the README's offline walkthrough restarts it); --memory keeps nothing, --reset
// starts over, and a damaged data file stops the start without being overwritten.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TokenPair } from '../src/engines/stateful/types.js';
import { banner, checkBuilt, kill, login, removeDataDirs, run, start, stopChildren } from './cli-harness.js';

let dataDir: string;
let env: Record<string, string>;

beforeAll(checkBuilt);

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'dtm-mock-kept-'));
  env = { DTM_MOCK_DATA_DIR: dataDir };
});

afterEach(async () => {
  await stopChildren();
  await rm(dataDir, { recursive: true, force: true });
});

afterAll(() => {
  removeDataDirs();
});

const dataFile = (): string => join(dataDir, 'data.json');

/** Starts dtm-mock with the test's data dir, logs in with the printed password. */
async function startAndLogIn(args: string[]): Promise<{ url: string; password: string; tokens: TokenPair; stop: () => Promise<void> }> {
  const { child, url } = await start(['--quiet', ...args], env);
  const { username, password } = banner(child);
  if (password === undefined) throw new Error(`no password in:\n${child.stdout()}`);
  const response = await login(url, username, password);
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as TokenPair;
  return {
    url,
    password,
    tokens,
    stop: async () => {
      expect(await kill(child)).toEqual({ code: 0, signal: null });
      expect(child.stderr()).toBe('');
    },
  };
}

async function createTask(url: string, token: string, title: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const getTask = (url: string, token: string, id: string): Promise<Response> =>
  fetch(`${url}/api/v1/tasks/${id}`, { headers: { authorization: `Bearer ${token}` } });

const refresh = (url: string, refreshToken: string): Promise<Response> =>
  fetch(`${url}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: refreshToken }) });

describe('dtm-mock keeps its data by default', () => {
  it('a restart keeps the tasks, the password, the signing key and the refresh tokens', async () => {
    const first = await startAndLogIn(['--tasks', '3']);
    const id = await createTask(first.url, first.tokens.access_token, `kept ${randomUUID()}`);
    await first.stop();
    // Private to the user: it holds the password and the key.
    expect((await stat(dataFile())).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);

    const { child, url } = await start(['--quiet', '--tasks', '50'], env);
    const output = child.stdout();
    expect(output).toContain(`4 tasks in ${dataFile()} (kept across restarts; --memory for a throw-away run, --reset to start over)`);
    expect(output).toMatch(/^ {2}note: {4}kept data loaded, so --tasks and --seed were not used/m);
    expect(banner(child).password).toBe(first.password);
    expect(output).toContain('generated once, kept with the data');

    // The access token of the first run still verifies, and the task is there.
    const task = await getTask(url, first.tokens.access_token, id);
    expect(task.status).toBe(200);
    // The refresh token of the first run still refreshes (what `dtm sync` does after a restart) …
    const refreshed = await refresh(url, first.tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    const renewed = (await refreshed.json()) as TokenPair;
    expect((await getTask(url, renewed.access_token, id)).status).toBe(200);
    // … and rotation holds across the restart too: the used token is refused now.
    expect((await refresh(url, first.tokens.refresh_token)).status).toBe(401);
    expect(await kill(child)).toEqual({ code: 0, signal: null });
  });

  it('a logout before the restart stays a logout after it', async () => {
    const first = await startAndLogIn(['--tasks', '1']);
    const logout = await fetch(`${first.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.tokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: first.tokens.refresh_token }),
    });
    expect(logout.status).toBe(204);
    await first.stop();

    const { child, url } = await start(['--quiet'], env);
    const again = await refresh(url, first.tokens.refresh_token);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('logged out');
    expect(await kill(child)).toEqual({ code: 0, signal: null });
  });

  it('DTM_MOCK_PASSWORD and DTM_MOCK_JWT_SECRET win and are never written to the data file', async () => {
    const password = `pw-${randomUUID()}`;
    const secret = `jwt-${randomUUID()}`;
    const { child } = await start(['--quiet', '--tasks', '1'], { ...env, DTM_MOCK_PASSWORD: password, DTM_MOCK_JWT_SECRET: secret });
    expect(child.stdout()).toContain('password from DTM_MOCK_PASSWORD');
    expect(await kill(child)).toEqual({ code: 0, signal: null });
    const kept = await readFile(dataFile(), 'utf8');
    expect(kept).not.toContain(password);
    expect(kept).not.toContain(secret);
  });
});

describe('dtm-mock --memory and --reset', () => {
  it('--memory keeps nothing: no data file, and a new password each run', async () => {
    const first = await startAndLogIn(['--memory', '--tasks', '3']);
    await createTask(first.url, first.tokens.access_token, 'gone after the run');
    await first.stop();
    await expect(stat(dataFile())).rejects.toMatchObject({ code: 'ENOENT' });

    const { child } = await start(['--quiet', '--memory', '--tasks', '3'], env);
    expect(child.stdout()).toMatch(/^ {2}data: {4}3 tasks in memory \(--memory: nothing is kept\)$/m);
    expect(child.stdout()).toContain('generated for this run');
    expect(banner(child).password).not.toBe(first.password);
    expect(await kill(child)).toEqual({ code: 0, signal: null });
  });

  it('--reset deletes the kept data, password and key, and starts over with fresh demo data', async () => {
    const first = await startAndLogIn(['--tasks', '3']);
    const id = await createTask(first.url, first.tokens.access_token, 'deleted by --reset');
    await first.stop();

    const second = await startAndLogIn(['--reset', '--tasks', '2']);
    expect(second.password).not.toBe(first.password);
    expect((await getTask(second.url, second.tokens.access_token, id)).status).toBe(404);
    // A new key: the old access token no longer verifies; the old session is gone.
    expect((await getTask(second.url, first.tokens.access_token, id)).status).toBe(401);
    expect((await refresh(second.url, first.tokens.refresh_token)).status).toBe(401);
    await second.stop();

    // What --reset started is kept in turn.
    const { child } = await start(['--quiet'], env);
    expect(child.stdout()).toContain(`2 tasks in ${dataFile()}`);
    expect(banner(child).password).toBe(second.password);
    expect(await kill(child)).toEqual({ code: 0, signal: null });
  });
});

describe('one dtm-mock per data file', () => {
  it('a second one on the same data file stops with exit 1 naming the first; once that one stops, it starts', async () => {
    const { child: first } = await start(['--quiet', '--tasks', '1'], env);
    const second = run(['--port', '0', '--quiet'], env);
    expect(await second.closed).toEqual({ code: 1, signal: null });
    expect(second.stderr()).toBe(
      `dtm-mock: ${dataFile()} is in use by another dtm-mock (pid ${String(first.process.pid)}): stop that one, or pick another file with --data FILE, or run with --memory\n`,
    );
    // --reset must not delete the data under a running server either.
    const reset = run(['--port', '0', '--quiet', '--reset'], env);
    expect(await reset.closed).toEqual({ code: 1, signal: null });
    expect(await kill(first)).toEqual({ code: 0, signal: null });
    expect((await readdir(dataDir)).sort()).toEqual(['data.json']);

    const third = await start(['--quiet'], env);
    expect(third.child.stdout()).toContain(`1 tasks in ${dataFile()}`);
    expect(await kill(third.child)).toEqual({ code: 0, signal: null });
  });

  it('takes over the lock of a dtm-mock that was killed', async () => {
    const { child: first } = await start(['--quiet', '--tasks', '1'], env);
    first.process.kill('SIGKILL');
    await first.closed;
    expect(await readdir(dataDir)).toContain('data.json.lock');

    const { child } = await start(['--quiet'], env);
    expect(child.stdout()).toContain(`1 tasks in ${dataFile()}`);
    expect(await kill(child)).toEqual({ code: 0, signal: null });
    expect(await readdir(dataDir)).toEqual(['data.json']);
  });
});

describe('a damaged data file', () => {
  it.each([
    ['cut off', '{"format": "dtm-mock-data", "version": 1, "tasks": [', /is not valid JSON/],
    ['empty', '', /is not valid JSON/],
    ['not ours', '{"hello": "world"}', /is not a DTM mock data file/],
    [
      'bad secrets',
      '{"format": "dtm-mock-data", "version": 1, "tasks": [], "projects": [], "sprints": [], "history": [], "counters": {}, "secrets": 5}',
      /is not a DTM mock data file/,
    ],
  ])('(%s) stops the start with exit 1, names the file and --reset, and is left as it was', async (_name, content, reason) => {
    await writeFile(dataFile(), content);
    const child = run(['--port', '0'], env);
    expect(await child.closed).toEqual({ code: 1, signal: null });
    const stderr = child.stderr();
    expect(stderr.split('\n')[0]).toMatch(reason);
    expect(stderr).toContain(`dtm-mock: ${dataFile()} `);
    expect(stderr).toContain('run dtm-mock --reset');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(child.stdout()).toBe('');
    expect(await readFile(dataFile(), 'utf8')).toBe(content);
  });

  it('--data FILE names that file in the --reset advice', async () => {
    const file = join(dataDir, 'mine.json');
    await writeFile(file, '{');
    const child = run(['--port', '0', '--data', file], env);
    expect(await child.closed).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toContain(`run dtm-mock --data ${JSON.stringify(file)} --reset`);
  });
});
