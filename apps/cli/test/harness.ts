// Runs the built `dtm` binary against a stateful mock server the test starts on a free
// port, with its own config and data dirs, and no DTM_* variables from the outside.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MockServerOptions, type RunningMockServer, startMockServer } from '@dtm/mock-server';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = join(root, 'bin', 'run.js');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to stdin, which is then closed. */
  stdin?: string;
  /** More environment variables (e.g. DTM_TOKEN); `undefined` removes one. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export interface Sandbox {
  readonly server: RunningMockServer;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly configDir: string;
  readonly dataDir: string;
  /** The environment `dtm` runs with here (for a process the test starts itself), with `extra` added or removed. */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  /** Runs `dtm` with these arguments. */
  run(args: readonly string[], options?: RunOptions): Promise<Result>;
  /** Starts `dtm` with these arguments: the process (to signal it, or read its output as it comes) and its result. */
  start(args: readonly string[], options?: RunOptions): Running;
  /** Runs `dtm` and parses its stdout as JSON (fails the test when the exit code is not 0). */
  json<T = unknown>(args: readonly string[], options?: RunOptions): Promise<T>;
  /** Logs in as the sandbox's user through `dtm auth login --password-stdin`. */
  login(): Promise<void>;
  stop(): Promise<void>;
}

export interface Running {
  readonly child: ChildProcess;
  /** What stdout and stderr have said so far. */
  readonly output: { stdout: string; stderr: string };
  readonly result: Promise<Result>;
}

const children = new Set<ChildProcess>();

/** Stops every `dtm` process still running (call from afterAll/afterEach). */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

export async function sandbox(options: Omit<MockServerOptions, 'port' | 'users'> = {}): Promise<Sandbox> {
  if (!existsSync(join(root, 'dist', 'commands'))) {
    throw new Error('apps/cli/dist is missing: run `npm run build -w @dtm/cli` (turbo runs it before the tests)');
  }
  const username = 'demo';
  const password = `pw-${randomUUID()}`;
  const server = await startMockServer({ port: 0, users: [{ username, password }], tasks: 0, ...options });
  const home = await mkdtemp(join(tmpdir(), 'dtm-cli-test-'));
  const configDir = join(home, 'config');
  const dataDir = join(home, 'data');

  /** The environment `dtm` runs with: this sandbox's server, dirs and file credentials, no DTM_* from outside. */
  const envWith = (extra: Record<string, string | undefined> = {}): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !key.startsWith('DTM_') && key !== 'FORCE_COLOR' && key !== 'NO_COLOR') env[key] = value;
    }
    Object.assign(env, {
      DTM_API_URL: server.url,
      DTM_CONFIG_DIR: configDir,
      DTM_DATA_DIR: dataDir,
      DTM_CACHE_DIR: join(home, 'cache'),
      DTM_CREDENTIAL_STORE: 'file',
      // No background mirror writers outliving the test's commands (a test of the mirror sets inline, or leaves it to the background and waits).
      DTM_MIRROR: 'off',
    });
    for (const [key, value] of Object.entries(extra)) {
      if (value === undefined) Reflect.deleteProperty(env, key);
      else env[key] = value;
    }
    return env;
  };

  const start = (args: readonly string[], runOptions: RunOptions = {}): Running => {
    const env = envWith(runOptions.env);
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    const output = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
    child.stdin.end(runOptions.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), runOptions.timeoutMs ?? 20_000);
    const result = new Promise<Result>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        children.delete(child);
        resolve({ code, signal, ...output });
      });
    });
    return { child, output, result };
  };
  const run = (args: readonly string[], runOptions?: RunOptions): Promise<Result> => start(args, runOptions).result;

  const json = async <T>(args: readonly string[], runOptions?: RunOptions): Promise<T> => {
    const result = await run([...args, '--json'], runOptions);
    if (result.code !== 0) throw new Error(`dtm ${args.join(' ')} --json exited ${String(result.code)}: ${result.stdout}${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };

  return {
    server,
    url: server.url,
    username,
    password,
    configDir,
    dataDir,
    env: envWith,
    run,
    start,
    json,
    async login() {
      const result = await run(['auth', 'login', '--username', username, '--password-stdin'], { stdin: `${password}\n` });
      if (result.code !== 0) throw new Error(`login failed: ${result.stderr}`);
    },
    async stop() {
      killChildren();
      await server.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
