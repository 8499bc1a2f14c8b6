// The `dtm-mock` binary as users run it (see cli-harness.ts); keeping data across restarts is in cli-data.test.ts.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { noFaults } from '../src/faults.js';
import { banner, checkBuilt, expectRefused, isRunning, kill, login, packageRoot, removeDataDirs, run, start, statefulLine, stopChildren, tokenFor, waitForOutput } from './cli-harness.js';

beforeAll(checkBuilt);

afterEach(async () => {
  await stopChildren();
});

afterAll(async () => {
  await stopChildren(1000);
  removeDataDirs();
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
      '--fault-seed',
      '--spec',
      '--watch',
      'X-Dtm-Fault',
      '--dynamic',
      '--help',
      '--version',
      'DTM_MOCK_PASSWORD',
      'DTM_MOCK_JWT_SECRET',
      '--memory',
      '--reset',
      'DTM_MOCK_DATA_DIR',
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
    [['--fault-seed', 'abc'], /--fault-seed/],
    [['--tasks=-1'], /--tasks/],
    [['--engine', 'nope'], /--engine/],
    [['--cors-origin', 'localhost:5173/app'], /--cors-origin/],
    [['--bogus'], /--bogus/],
    [['extra'], /extra/],
    [['--memory', '--reset'], /--memory and --reset/],
    [['--memory', '--data', 'x.json'], /--memory and --data/],
  ])('%j exits 2 with a one-line message and no stack trace', async (args, named) => {
    const child = run(args);
    expect(await child.closed).toEqual({ code: 2, signal: null });
    const stderr = child.stderr();
    expect(stderr).toMatch(/^dtm-mock: [^\n]+\n\nRun dtm-mock --help for the options\.\n$/);
    expect(stderr.split('\n')[0]).toMatch(named);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(child.stdout()).toBe('');
  });

  it.each(['--version', '-v'])('%s prints the version of package.json and exits 0', async (flag) => {
    const { version } = JSON.parse(await readFile(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
    const child = run([flag]);
    expect(await child.closed).toEqual({ code: 0, signal: null });
    expect(child.stdout()).toBe(`${version}\n`);
    expect(child.stderr()).toBe('');
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
    expect(child.stdout()).toContain('generated once, kept with the data');
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
    const { child, url } = await start(['--tasks', '1000', '--quiet', '--memory']);
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

  it('--fault-seed N with --error-rate replays the same statuses in a second run', async () => {
    const statuses = async (): Promise<number[]> => {
      const { child, url } = await start(['--tasks', '1', '--quiet', '--error-rate', '0.5', '--fault-seed', '11']);
      expect(child.stdout()).toContain('errorRate=0.5, seed 11');
      const seen: number[] = [];
      for (let i = 0; i < 20; i++) seen.push((await fetch(`${url}/health`)).status);
      expect(await kill(child)).toEqual({ code: 0, signal: null });
      return seen;
    };
    const first = await statuses();
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await statuses()).toEqual(first);
  });

  it('--spec FILE --watch checks requests against the file as it changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dtm-mock-cli-'));
    try {
      const spec = join(dir, 'openapi.yaml');
      const text = await readFile(join(packageRoot, '..', '..', 'openapi.yaml'), 'utf8');
      await writeFile(spec, text);
      const { child, url } = await start(['--tasks', '0', '--quiet', '--spec', spec, '--watch']);
      const { username, password } = banner(child);
      const token = await tokenFor(url, username, password ?? '');
      const create = (): Promise<Response> =>
        fetch(`${url}/api/v1/tasks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ priority: 'high' }),
        });
      expect((await create()).status).toBe(422);
      // The contract no longer requires a title.
      const relaxed = text.replace(/(\n {4}TaskCreate:\n[\s\S]*?)\n {6}required: \[title\]/, '$1');
      expect(relaxed).not.toBe(text);
      await writeFile(spec, relaxed);
      await waitForOutput(child, /reloaded .*openapi\.yaml/, 15_000, 'stderr');
      expect((await create()).status).toBe(201);
      expect(await kill(child)).toEqual({ code: 0, signal: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
