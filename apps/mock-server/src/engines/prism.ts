import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../net.js';
import { findSpecPath } from '../spec.js';

export interface PrismOptions {
  /** `mock` serves the spec's examples; `proxy` forwards to `upstream` and checks both directions. */
  mode?: 'mock' | 'proxy';
  /** Upstream base URL, required in proxy mode. */
  upstream?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Turn every contract violation into an error response (`prism --errors`). */
  errors?: boolean;
  /** Generate response data from the schemas instead of serving the examples. */
  dynamic?: boolean;
  /** Defaults to the toolkit's own openapi.yaml. */
  specPath?: string;
  /** How long to wait for Prism to answer before giving up (default 30 s). */
  readyTimeoutMs?: number;
}

export interface RunningPrism {
  readonly url: string;
  readonly port: number;
  /** Prism's recent console output, for error messages. */
  output(): string;
  /** Stops Prism and waits until it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const watchdogPath = join(dirname(fileURLToPath(import.meta.url)), 'watchdog.cjs');
const maxOutput = 64 * 1024;

/** The Prism version the contract tests run; the one to install for the prism engine. */
const prismPackage = '@stoplight/prism-cli@5.14.2';

/**
 * Where Prism's binary is. Prism is an optional peer dependency (it and its dependencies are
 * ~70 MB, which the stateful engine does not need): without it, an error saying how to add it.
 */
export function prismBinPath(resolve: (id: string) => string = require.resolve): string {
  let packageJsonPath: string;
  try {
    packageJsonPath = resolve('@stoplight/prism-cli/package.json');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      `The prism engine needs Prism, which is not installed (it is an optional peer dependency of @dtm/mock-server). Add it beside the mock server: npm install --save-dev ${prismPackage}`,
    );
  }
  const { bin } = require(packageJsonPath) as { bin: Record<string, string> };
  const relative = bin.prism;
  if (!relative) throw new Error('@stoplight/prism-cli declares no `prism` binary');
  return join(dirname(packageJsonPath), relative);
}

/**
 * Starts Prism on the DTM contract and resolves once it answers HTTP requests.
 * The process is tied to this one: it stops when `stop()` is called or when this
 * process exits in any way.
 */
export async function startPrism(options: PrismOptions = {}): Promise<RunningPrism> {
  const attempts = options.port ? 1 : 3;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    // 0 means "pick a free one" too: Prism must be told the real port, which is also the one we wait on.
    const port = options.port === undefined || options.port === 0 ? await findFreePort(options.host) : options.port;
    try {
      return await launch(options, port);
    } catch (error) {
      lastError = error;
      // Another process may take a free port before Prism binds it: try another one.
      if (!(error instanceof PrismStartError && error.portInUse)) break;
    }
  }
  throw lastError;
}

export class PrismStartError extends Error {
  override readonly name = 'PrismStartError';
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
  }
}

async function launch(options: PrismOptions, port: number): Promise<RunningPrism> {
  const mode = options.mode ?? 'mock';
  const host = options.host ?? '127.0.0.1';
  const args = [mode, options.specPath ?? findSpecPath()];
  if (mode === 'proxy') {
    if (!options.upstream) throw new Error('startPrism: proxy mode needs an `upstream` URL');
    args.push(options.upstream);
  }
  args.push('--port', String(port), '--host', host);
  if (options.errors) args.push('--errors');
  if (options.dynamic) args.push('--dynamic');

  const child = spawn(process.execPath, [watchdogPath, process.execPath, prismBinPath(), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-maxOutput);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const running: RunningPrism = {
    url,
    port,
    output: () => output,
    stop: () => stopChild(child, exited),
  };
  try {
    await waitUntilAnswering(url, child, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await running.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new PrismStartError(
      `Prism (${mode}) did not start on ${url}: ${reason}\n${output.trim()}`,
      /EADDRINUSE/.test(output),
    );
  }
  return running;
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    }
    try {
      // Any HTTP answer means Prism has loaded the spec and is listening.
      await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.stdin?.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
