import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noFaults } from '../src/faults.js';

// The `dtm-mock` binary as users run it: the built dist/cli.js in a child process.
// turbo builds before it tests; for a local run, `npx tsup` first.

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const cli = join(packageRoot, 'dist', 'cli.js');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Child {
  readonly process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited and its output is complete. */
  readonly closed: Promise<Exit>;
}

const children = new Set<Child>();

const isRunning = (child: Child): boolean => child.process.exitCode === null && child.process.signalCode === null;

function run(args: string[], env: Record<string, string> = {}): Child {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ['DTM_MOCK_PASSWORD', 'DTM_MOCK_JWT_SECRET']) {
    if (!(name in env)) Reflect.deleteProperty(childEnv, name);
  }
  const child = spawn(process.execPath, [cli, ...args], { cwd: packageRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const closed = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      resolve({ code, signal });
    });
  });
  const running: Child = { process: child, stdout: () => stdout, stderr: () => stderr, closed };
  children.add(running);
  return running;
}

/** Stops a child with SIGTERM, then SIGKILL if it does not go within `graceMs`. */
async function kill(child: Child, graceMs = 5000): Promise<Exit> {
  if (isRunning(child)) {
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
    try {
      return await child.closed;
    } finally {
      clearTimeout(timer);
    }
  }
  return child.closed;
}

async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(child.stdout());
    if (match) return match;
    if (!isRunning(child) || Date.now() > deadline) {
      await Promise.race([child.closed, new Promise((resolve) => setTimeout(resolve, 100))]);
      throw new Error(
        `${isRunning(child) ? 'timed out' : `exited (${String(child.process.exitCode ?? child.process.signalCode)})`} ` +
          `before printing ${String(pattern)}\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const statefulLine = /^DTM mock server \(stateful\) listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;

/** Starts the stateful engine on a free port; returns the URL from its first line. */
async function start(args: string[], env: Record<string, string> = {}): Promise<{ child: Child; url: string }> {
  const child = run(['--port', '0', ...args], env);
  await waitForOutput(child, /Press Ctrl-C to stop\.\n/);
  const [firstLine] = child.stdout().split('\n');
  const match = statefulLine.exec(firstLine ?? '');
  if (!match?.[1]) throw new Error(`unexpected first line: ${firstLine ?? ''}`);
  expect(Number(match[2])).toBeGreaterThan(0);
  return { child, url: match[1] };
}

function banner(child: Child): { username: string; password: string | undefined } {
  const username = /username "([^"]+)"/.exec(child.stdout())?.[1];
  if (!username) throw new Error(`no username in:\n${child.stdout()}`);
  return { username, password: /password "([^"]+)"/.exec(child.stdout())?.[1] };
}

async function login(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

async function tokenFor(url: string, username: string, password: string): Promise<string> {
  const response = await login(url, username, password);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Expects nothing to listen at `url` any more. */
async function expectRefused(url: string): Promise<void> {
  const attempt = async (): Promise<string> => {
    const error = await fetch(`${url}/health`).then(
      (response) => new Error(`expected no answer, got ${response.status}`),
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(TypeError);
    return String((error as Error & { cause?: { code?: string } }).cause?.code);
  };
  let code = await attempt();
  // A keep-alive connection the exited server closed may fail first ("other side closed").
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') code = await attempt();
  expect(code).toBe('ECONNREFUSED');
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npx tsup in apps/mock-server; turbo's test task does)`);
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
      ),
    );
  if (statSync(cli).mtimeMs < newest(join(packageRoot, 'src'))) {
    // Not a failure: a restored build cache can carry old times. Rebuild if src changed.
    console.warn(`dtm-mock CLI tests: ${cli} is older than src/; run npx tsup if src changed since the build`);
  }
});

afterEach(async () => {
  await Promise.all([...children].map((child) => kill(child)));
  children.clear();
});

afterAll(async () => {
  await Promise.all([...children].map((child) => kill(child, 1000)));
});

describe('dtm-mock --help and bad flags', () => {
  it.each(['--help', '-h'])('%s prints every option and exits 0', async (flag) => {
    const child = run([flag]);
    expect(await child.closed).toEqual({ code: 0, signal: null });
    const help = child.stdout();
    expect(help).toMatch(/^Usage: dtm-mock/);
    for (const option of [
      '--engine',
      '--port',
      '--host',
      '--quiet',
      '--tasks',
      '--seed',
      '--data',
      '--token-ttl',
      '--refresh-ttl',
      '--latency',
      '--jitter',
      '--error-rate',
      '--rate-limit',
      '--drop-rate',
      '--dynamic',
      '--help',
      'DTM_MOCK_PASSWORD',
      'DTM_MOCK_JWT_SECRET',
    ]) {
      expect(help).toContain(option);
    }
    expect(child.stderr()).toBe('');
  });

  it.each([
    [['--port', 'abc'], /--port/],
    [['--port', '70000'], /--port/],
    [['--error-rate', '2'], /--error-rate/],
    [['--drop-rate', 'lots'], /--drop-rate/],
    [['--latency', '1.5'], /--latency/],
    [['--tasks=-1'], /--tasks/],
    [['--engine', 'nope'], /--engine/],
    [['--cors-origin', 'localhost:5173/app'], /--cors-origin/],
    [['--bogus'], /--bogus/],
    [['extra'], /extra/],
  ])('%j exits 2 with a one-line message and no stack trace', async (args, named) => {
    const child = run(args);
    expect(await child.closed).toEqual({ code: 2, signal: null });
    const stderr = child.stderr();
    expect(stderr).toMatch(/^dtm-mock: [^\n]+\n\nRun dtm-mock --help for the options\.\n$/);
    expect(stderr.split('\n')[0]).toMatch(named);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(child.stdout()).toBe('');
  });

  it('exits 1 with a hint when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const address = blocker.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const child = run(['--port', String(port), '--tasks', '1']);
      expect(await child.closed).toEqual({ code: 1, signal: null });
      expect(child.stderr()).toMatch(/^dtm-mock: .*EADDRINUSE.*another server uses that port.*\n$/);
      expect(child.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('dtm-mock (stateful)', () => {
  it('--port 0 prints the real URL and a generated password that logs in; SIGTERM exits 0', async () => {
    const { child, url } = await start(['--tasks', '5']);
    const { username, password } = banner(child);
    expect(username).toBe('demo');
    expect(password).toMatch(/^\S{8,}$/);
    expect(child.stdout()).toContain('generated for this run');
    expect(child.stdout()).toContain(`export DTM_API_URL=${url};`);

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect((await login(url, username, `${password ?? ''}-wrong`)).status).toBe(401);
    const token = await tokenFor(url, username, password ?? '');
    expect((await fetch(`${url}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // One line per request.
    await waitForOutput(child, /^GET \/auth\/me 200 [\d.]+ ms$/m);
    expect(child.stdout()).toMatch(/^POST \/auth\/login 401 [\d.]+ ms$/m);

    expect(await kill(child)).toEqual({ code: 0, signal: null });
    expect(child.stderr()).toBe('');
    await expectRefused(url);
  });

  it('exits 0 on a SIGTERM sent the moment the URL line appears', async () => {
    // A supervisor may stop the server as soon as it reports ready: the signal handlers must already be there.
    // Several at once, to give a race a chance to show.
    const started = Array.from({ length: 4 }, () => {
      const child = run(['--port', '0', '--tasks', '1', '--quiet']);
      child.process.stdout?.on('data', () => {
        if (isRunning(child) && child.stdout().includes('listening on')) child.process.kill('SIGTERM');
      });
      return child;
    });
    for (const child of started) {
      expect(await child.closed).toEqual({ code: 0, signal: null });
      expect(child.stdout()).toMatch(statefulLine);
    }
  });

  it('never prints DTM_MOCK_PASSWORD or DTM_MOCK_JWT_SECRET, not even in request logs', async () => {
    const password = `pw-${randomUUID()}`;
    const secret = `jwt-${randomUUID()}`;
    const { child, url } = await start(['--tasks', '5'], { DTM_MOCK_PASSWORD: password, DTM_MOCK_JWT_SECRET: secret });
    expect(banner(child).password).toBeUndefined();
    expect(child.stdout()).toContain('password from DTM_MOCK_PASSWORD');

    const response = await login(url, 'demo', password);
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as { access_token: string; refresh_token: string };
    expect((await login(url, 'demo', `${password}x`)).status).toBe(401);
    expect((await fetch(`${url}/auth/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
    // A secret in a query string stays out of the log too.
    const search = await fetch(`${url}/api/v1/tasks?q=${password}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(search.status).toBe(200);
    await waitForOutput(child, /^GET \/api\/v1\/tasks 200 [\d.]+ ms$/m);

    expect(await kill(child)).toEqual({ code: 0, signal: null });
    const output = child.stdout() + child.stderr();
    // The logging was on: the requests are there, the secrets are not.
    expect(output).toMatch(/^POST \/auth\/login 200 /m);
    expect(output).toMatch(/^POST \/auth\/login 401 /m);
    expect(output).toMatch(/^GET \/auth\/me 200 /m);
    for (const hidden of [password, secret, tokens.access_token, tokens.refresh_token]) {
      expect(output).not.toContain(hidden);
    }
  });

  it('--tasks 1000 seeds 1000 tasks', async () => {
    const { child, url } = await start(['--tasks', '1000', '--quiet']);
    expect(child.stdout()).toMatch(/^ {2}data: {4}1000 tasks in memory/m);
    const { username, password } = banner(child);
    const token = await tokenFor(url, username, password ?? '');
    const list = await fetch(`${url}/api/v1/tasks?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ total: 1000, limit: 1, offset: 0 });
  });

  it('--cors-origin, repeated or a comma list, restricts the origins browsers may call from', async () => {
    const { child, url } = await start(['--quiet', '--cors-origin', 'http://localhost:5173,https://a.example', '--cors-origin', 'https://b.example']);
    expect(child.stdout()).toMatch(/^ {2}cors: {4}http:\/\/localhost:5173, https:\/\/a\.example, https:\/\/b\.example /m);
    const allowOrigin = async (origin: string): Promise<string | null> => {
      const answer = await fetch(`${url}/api/v1/tasks`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(answer.status).toBe(204);
      return answer.headers.get('access-control-allow-origin');
    };
    expect(await allowOrigin('https://b.example')).toBe('https://b.example');
    expect(await allowOrigin('http://localhost:5173')).toBe('http://localhost:5173');
    expect(await allowOrigin('http://localhost:3000')).toBeNull();
  });

  it('passes the fault, token and logging flags to the server; SIGINT exits 0', async () => {
    const { child, url } = await start([
      '-e',
      'stateful',
      '--host',
      '127.0.0.1',
      '-q',
      '--tasks',
      '3',
      '--seed',
      '7',
      '--latency',
      '50',
      '--jitter',
      '10',
      '--error-rate',
      '0',
      '--rate-limit',
      '100',
      '--drop-rate',
      '0',
      '--token-ttl',
      '60',
      '--refresh-ttl',
      '120',
    ]);
    expect(child.stdout()).toContain('faults:  latencyMs=50, jitterMs=10, errorRate=0, rateLimit=100, dropRate=0');
    const faults = await fetch(`${url}/__admin/faults`);
    expect(await faults.json()).toEqual({ ...noFaults, latencyMs: 50, jitterMs: 10, errorRate: 0, rateLimit: 100, dropRate: 0 });

    const { username, password } = banner(child);
    const started = performance.now();
    const response = await login(url, username, password ?? '');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ expires_in: 60, refresh_expires_in: 120 });

    child.process.kill('SIGINT');
    expect(await child.closed).toEqual({ code: 0, signal: null });
    // --quiet: the banner, and not one request line.
    expect(child.stdout()).not.toMatch(/^(GET|POST) \//m);
    expect(child.stdout().trimEnd().endsWith('Press Ctrl-C to stop.')).toBe(true);
  });

  it('--data FILE keeps the data across two runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dtm-mock-cli-'));
    try {
      const file = join(dir, 'data.json');
      const title = `persisted ${randomUUID()}`;

      const first = await start(['--tasks', '3', '--quiet', '--data', file]);
      expect(first.child.stdout()).toContain(`3 tasks in ${file}`);
      const firstLogin = banner(first.child);
      const token = await tokenFor(first.url, firstLogin.username, firstLogin.password ?? '');
      const created = await fetch(`${first.url}/api/v1/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(await kill(first.child)).toEqual({ code: 0, signal: null });
      expect(await readFile(file, 'utf8')).toContain(title);

      // The file wins over --tasks.
      const second = await start(['--tasks', '50', '--quiet', '--data', file]);
      expect(second.child.stdout()).toContain(`4 tasks in ${file}`);
      const secondLogin = banner(second.child);
      const again = await tokenFor(second.url, secondLogin.username, secondLogin.password ?? '');
      const task = await fetch(`${second.url}/api/v1/tasks/${id}`, { headers: { authorization: `Bearer ${again}` } });
      expect(task.status).toBe(200);
      expect(await task.json()).toMatchObject({ id, title });
      expect(await kill(second.child)).toEqual({ code: 0, signal: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('dtm-mock --engine prism', () => {
  it('--port 0 starts Prism on a free port, prints its URL, and SIGTERM stops it', async () => {
    const child = run(['--engine', 'prism', '--port', '0']);
    const [, url, port] = await waitForOutput(child, /^DTM mock \(Prism\) listening on (http:\/\/127\.0\.0\.1:(\d+))$/m, 45_000);
    expect(Number(port)).toBeGreaterThan(0);
    expect(child.stdout().split('\n')[0]).toBe(`DTM mock (Prism) listening on ${url ?? ''}`);

    const health = await fetch(`${url ?? ''}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    expect(await kill(child)).toEqual({ code: 0, signal: null });
    await expectRefused(url ?? '');
  }, 60_000);
});
