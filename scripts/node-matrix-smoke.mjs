// Run by scripts/node-matrix.mjs under each Node version: the built packages on that Node. The
// mock server starts and serves (stateful engine, in this process); the SDK, imported as ESM
// and as CommonJS, logs in, lists, creates, reads, completes and gets a typed 404 from it; the
// CLI answers --version, --help and `commands --json` (commands that do not open the store).
import { execFileSync } from 'node:child_process';
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
  const dtm = (...args) =>
    execFileSync(process.execPath, [join(root, 'apps/cli/bin/run.js'), ...args], { encoding: 'utf8', env: { ...process.env, DTM_API_URL: server.url, TMPDIR: scratch } });
  assert.match(dtm('--version'), /^@dtm\/cli\/\d+\.\d+\.\d+ /);
  assert.match(dtm('task', 'list', '--help'), /USAGE\s+\$ dtm task list/);
  const commands = JSON.parse(dtm('commands', '--json'));
  assert.ok(commands.commands.some((command) => command.name === 'task list'), 'commands --json lists task list');
  if (typeof module.enableCompileCache === 'function') assert.ok(existsSync(join(scratch, 'node-compile-cache')), 'the CLI keeps a compile cache');
  rmSync(scratch, { recursive: true, force: true });
} finally {
  await server.stop();
}
process.stdout.write(`Node ${process.version}: mock server, SDK (ESM and CJS) and CLI start-up commands pass\n`);
