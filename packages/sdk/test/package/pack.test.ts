// The package as users get it: build, `npm pack`, install the tarball into a fresh
// project outside the workspace, then load it with require() and with import and call a
// real HTTP server through it. Also runs the package linters (attw, publint).
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadContract } from '@dtm/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const timeout = 120_000;

/**
 * The environment for child npm and node processes. npm exports its settings as
 * `npm_config_*` to the scripts it runs (`local_prefix` among them, which would make a
 * nested `npm install` write into the workspace): keep only where the cache, the
 * registry and the user's config are.
 */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['cache', 'userconfig', 'globalconfig', 'registry', 'cafile', 'proxy', 'https_proxy', 'noproxy', 'strict_ssl']);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('npm_config_') && !keep.has(lower.slice('npm_config_'.length))) continue;
    if (lower.startsWith('npm_package_') || lower.startsWith('npm_lifecycle_')) continue;
    env[name] = value;
  }
  return env;
}

async function exec(file: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(file, args, { cwd, env: childEnv(), timeout, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    // Show what the command printed, not just its exit code.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

// The Health example of the spec, so the body passes the SDK's validation.
const health = (() => {
  const examples = loadContract().find((operation) => operation.operationId === 'getHealth')?.responses['200']?.content[
    'application/json'
  ];
  const example = examples ? Object.values(examples)[0] : undefined;
  if (typeof example !== 'object' || example === null) throw new Error('openapi.yaml has no Health example');
  return example as { status: string; version: string };
})();

let workDir: string | undefined;
let projectDir: string;
let packed: PackResult;
let server: Server | undefined;
let baseUrl: string;
const seen: { method: string; url: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization });
    if (request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(health));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/problem+json', 'x-request-id': 'req_pack_test' });
    response.end(JSON.stringify({ type: 'urn:dtm:problem:not-found', title: 'Not found', status: 404 }));
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;

  // realpath: require.resolve reports real paths, and tmpdir() may be a symlink.
  workDir = await realpath(await mkdtemp(join(tmpdir(), 'dtm-sdk-pack-')));
  // turbo builds the package before its tests (turbo.json); rebuilding here would empty
  // dist/ while other packages' tests read it.
  await access(join(packageDir, 'dist', 'index.cjs')).catch(() => {
    throw new Error('packages/sdk/dist is missing: run `npm run build -w @dtm/sdk` first');
  });
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', workDir], packageDir);
  const [result] = JSON.parse(stdout) as PackResult[];
  if (!result) throw new Error(`npm pack printed no result: ${stdout}`);
  packed = result;

  projectDir = join(workDir, 'consumer');
  await mkdir(projectDir);
  await writeFile(join(projectDir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
  await exec(
    'npm',
    ['install', join(workDir, packed.filename), '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'],
    projectDir,
  );
}, timeout);

afterAll(async () => {
  const listening = server;
  if (listening) {
    listening.closeAllConnections();
    await new Promise<void>((resolve) => listening.close(() => { resolve(); }));
  }
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Runs a consumer script and parses the one JSON line it prints. */
async function runConsumer(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await exec(process.execPath, args, projectDir);
  return JSON.parse(stdout.trim()) as Record<string, unknown>;
}

describe('the packed @dtm/sdk tarball', () => {
  it('holds the built files and package.json, and nothing from src or test', () => {
    const paths = packed.files.map((file) => file.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/redact.js', 'dist/redact.cjs', 'dist/redact.d.ts']),
    );
    for (const path of paths) expect(path).toMatch(/^(dist\/|package\.json$|redact\/package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/);
  });

  it('works with require() from a CommonJS project', async () => {
    const script = `
      const { DtmClient, isNotFoundError, NotFoundError } = require('@dtm/sdk');
      (async () => {
        const client = new DtmClient({ baseUrl: process.argv[1], token: 'pack-test', retries: 0 });
        const health = await client.health();
        const error = await client.tasks.get('TASK-000404').then(() => undefined, (caught) => caught);
        console.log(JSON.stringify({
          resolved: require.resolve('@dtm/sdk'),
          status: health.status,
          version: health.version,
          notFound: isNotFoundError(error),
          instance: error instanceof NotFoundError,
          requestId: error && error.requestId,
        }));
      })().catch((error) => { console.error(error); process.exit(1); });
    `;
    const output = await runConsumer(['-e', script, baseUrl]);
    expect(output).toEqual({
      resolved: join(projectDir, 'node_modules', '@dtm', 'sdk', 'dist', 'index.cjs'),
      status: health.status,
      version: health.version,
      notFound: true,
      instance: true,
      requestId: 'req_pack_test',
    });
    expect(seen).toContainEqual({ method: 'GET', url: '/api/v1/tasks/TASK-000404', authorization: 'Bearer pack-test' });
  }, timeout);

  it('works with import from an ES module', async () => {
    const file = join(projectDir, 'consumer.mjs');
    await writeFile(
      file,
      `import { DtmClient, isNotFoundError } from '@dtm/sdk';
       const client = new DtmClient({ baseUrl: process.argv[2], token: 'pack-test', retries: 0 });
       const health = await client.health();
       const error = await client.projects.get('PRJ-404').then(() => undefined, (caught) => caught);
       console.log(JSON.stringify({
         resolved: import.meta.resolve('@dtm/sdk'),
         status: health.status,
         version: health.version,
         notFound: isNotFoundError(error),
       }));
      `,
    );
    const output = await runConsumer([file, baseUrl]);
    expect(output).toEqual({
      resolved: `file://${join(projectDir, 'node_modules', '@dtm', 'sdk', 'dist', 'index.js')}`,
      status: health.status,
      version: health.version,
      notFound: true,
    });
    expect(seen).toContainEqual({ method: 'GET', url: '/api/v1/projects/PRJ-404', authorization: 'Bearer pack-test' });
  }, timeout);

  it('passes attw (node16 profile) and publint', async () => {
    const { stdout } = await exec('npm', ['run', 'lint:package'], packageDir);
    expect(stdout).toContain('No problems found');
    expect(stdout).toContain('All good!');
  }, timeout);
});
