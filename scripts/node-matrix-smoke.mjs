// Run by scripts/node-matrix.mjs under each Node version: the built packages on that Node. The
// mock server starts and serves (stateful engine, in this process); the SDK, imported as ESM
// and as CommonJS, logs in, lists, creates, reads, completes and gets a typed 404 from it; the
// CLI logs in, lists, creates and shows tasks, queues a change --offline and sends it with
// `dtm sync`, its local store opened through whichever SQLite binding loads on this Node
// (better-sqlite3 is built for the Node that ran `npm ci`; on another, node:sqlite), with
// no warning on stderr.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const password = `smoke-${process.pid}`;
process.env.DTM_MOCK_PASSWORD = password;

const { startMockServer } = await import(join(root, 'apps/mock-server/dist/index.js'));
const server = await startMockServer({ tasks: 20 });
try {
  const esm = await import(join(root, 'packages/sdk/dist/index.js'));
  const cjs = require(join(root, 'packages/sdk/dist/index.cjs'));
  for (const [format, sdk] of [['esm', esm], ['cjs', cjs]]) {
    const client = new sdk.DtmClient({ baseUrl: server.url });
    await client.auth.login({ username: 'demo', password });
    const page = await client.tasks.list({ status: ['pending'], limit: 5 });
    assert.ok(page.items.length > 0 && page.items.every((task) => task.status === 'pending'), `${format}: a filtered page`);
    const created = await client.tasks.create({ title: `Smoke on Node ${process.version} (${format})`, priority: 'high' });
    assert.equal((await client.tasks.get(created.id)).title, created.title);
    assert.equal((await client.tasks.complete(created.id, {})).status, 'completed');
    await assert.rejects(client.tasks.get('TASK-999999'), (error) => sdk.isNotFoundError(error), `${format}: a typed 404`);
  }

  // The CLI's compile cache goes to the OS temp dir: a scratch one here, to see it written.
  const scratch = mkdtempSync(join(tmpdir(), 'dtm-smoke-'));
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DTM_'))),
    DTM_API_URL: server.url,
    DTM_CONFIG_DIR: join(scratch, 'config'),
    DTM_DATA_DIR: join(scratch, 'data'),
    DTM_CREDENTIAL_STORE: 'file',
    TMPDIR: scratch,
  };
  // Asynchronous: the mock server answers from this process meanwhile.
  const dtm = async (args, { input = '', exit = 0 } = {}) => {
    const child = spawn(process.execPath, [join(root, 'apps/cli/bin/run.js'), ...args], { env });
    child.stdin.end(input);
    const result = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (chunk) => (result.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (result.stderr += chunk));
    [result.status] = await once(child, 'close');
    assert.equal(result.status, exit, `dtm ${args.join(' ')} exited ${result.status}: ${result.stdout}${result.stderr}`);
    assert.doesNotMatch(result.stderr, /warning/i, `dtm ${args.join(' ')} warned on stderr`);
    return result.stdout;
  };
  assert.match(await dtm(['--version']), /^@dtm\/cli\/\d+\.\d+\.\d+ /);
  assert.match(await dtm(['task', 'list', '--help']), /USAGE\s+\$ dtm task list/);
  const commands = JSON.parse(await dtm(['commands', '--json']));
  assert.ok(commands.commands.some((command) => command.name === 'task list'), 'commands --json lists task list');
  await dtm(['auth', 'login', '--username', 'demo', '--password-stdin', '--json'], { input: `${password}\n` });
  assert.ok(JSON.parse(await dtm(['task', 'list', '--status', 'pending', '--json'])).items.length > 0, 'dtm task list');
  const created = JSON.parse(await dtm(['task', 'create', '--title', `CLI smoke on Node ${process.version}`, '--json']));
  assert.equal(JSON.parse(await dtm(['task', 'show', created.id, '--json'])).title, created.title);
  const queued = JSON.parse(await dtm(['task', 'update', created.id, '--status', 'blocked', '--offline', '--json'], { exit: 3 }));
  assert.equal(queued.status, 'blocked', 'queued offline (exit 3) and applied to the local copy');
  await dtm(['sync', '--json']);
  assert.equal(await taskStatus(esm, created.id), 'blocked', 'the queued change reached the server');
  assert.ok(JSON.parse(await dtm(['task', 'list', '--offline', '--all', '--json'], { exit: 3 })).some((task) => task.id === created.id), 'the local store has it');
  if (typeof module.enableCompileCache === 'function') assert.ok(existsSync(join(scratch, 'node-compile-cache')), 'the CLI keeps a compile cache');
  rmSync(scratch, { recursive: true, force: true });
} finally {
  await server.stop();
}
process.stdout.write(`Node ${process.version}: mock server, SDK (ESM and CJS) and CLI commands (local store through ${binding()}) pass\n`);

/** The server's status of a task, read through the SDK. */
async function taskStatus(sdk, id) {
  const client = new sdk.DtmClient({ baseUrl: server.url });
  await client.auth.login({ username: 'demo', password });
  return (await client.tasks.get(id)).status;
}

/** Which SQLite binding the CLI's store gets on this Node: the one apps/cli/src/lib/store/sqlite.ts picks first. */
function binding() {
  try {
    const BetterSqlite3 = require(require.resolve('better-sqlite3', { paths: [join(root, 'apps/cli')] }));
    new BetterSqlite3(':memory:').close();
    return 'better-sqlite3';
  } catch {
    return 'node:sqlite';
  }
}
