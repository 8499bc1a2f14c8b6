// Shared helpers of the dtm-mock binary's tests: the built dist/cli.js in a child process,
// started on a free port, with its own data dir, and stopped after each test. Not a test file itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

// The `dtm-mock` binary as users run it: the built dist/cli.js in a child process.
// turbo builds before it tests; for a local run, `npx tsup` first.

export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const cli = join(packageRoot, 'dist', 'cli.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited and its output is complete. */
  readonly closed: Promise<Exit>;
}

const children = new Set<Child>();

export const isRunning = (child: Child): boolean => child.process.exitCode === null && child.process.signalCode === null;

// Every child gets its own data dir unless the test gives one: no test touches the user's real one.
const dataDirs = mkdtempSync(join(tmpdir(), 'dtm-mock-cli-data-'));

/** Starts dist/cli.js with these arguments; DTM_MOCK_PASSWORD and DTM_MOCK_JWT_SECRET only when `env` sets them. */
export function run(args: string[], env: Record<string, string> = {}): Child {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DTM_MOCK_DATA_DIR: mkdtempSync(join(dataDirs, 'run-')), ...env };
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
export async function kill(child: Child, graceMs = 5000): Promise<Exit> {
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

export async function waitForOutput(
  child: Child,
  pattern: RegExp,
  timeoutMs = 15_000,
  from: 'stdout' | 'stderr' = 'stdout',
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(child[from]());
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

export const statefulLine = /^DTM mock server \(stateful\) listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;

/** Starts the stateful engine on a free port; returns the URL from its first line. */
export async function start(args: string[], env: Record<string, string> = {}): Promise<{ child: Child; url: string }> {
  const child = run(['--port', '0', ...args], env);
  await waitForOutput(child, /Press Ctrl-C to stop\.\n/);
  const [firstLine] = child.stdout().split('\n');
  const match = statefulLine.exec(firstLine ?? '');
  if (!match?.[1]) throw new Error(`unexpected first line: ${firstLine ?? ''}`);
  expect(Number(match[2])).toBeGreaterThan(0);
  return { child, url: match[1] };
}

export function banner(child: Child): { username: string; password: string | undefined } {
  const username = /username "([^"]+)"/.exec(child.stdout())?.[1];
  if (!username) throw new Error(`no username in:\n${child.stdout()}`);
  return { username, password: /password "([^"]+)"/.exec(child.stdout())?.[1] };
}

export async function login(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

export async function tokenFor(url: string, username: string, password: string): Promise<string> {
  const response = await login(url, username, password);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Expects nothing to listen at `url` any more. */
export async function expectRefused(url: string): Promise<void> {
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

/** Fails early when dist/cli.js is missing; warns when it may be older than src/. */
export function checkBuilt(): void {
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
}

/** Stops every child a test started (after each test, also a failed one). */
export async function stopChildren(graceMs?: number): Promise<void> {
  await Promise.all([...children].map((child) => kill(child, graceMs)));
  children.clear();
}

/** Removes the data dirs the children got. */
export function removeDataDirs(): void {
  rmSync(dataDirs, { recursive: true, force: true });
}

