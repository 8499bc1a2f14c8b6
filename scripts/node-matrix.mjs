// `npm run test:node-matrix` (part of `npm test`): the smoke of scripts/node-matrix-smoke.mjs on
// Node 22 and 24, each installed from the npm registry's `node` package into .cache/ (the
// machine reaches no other download site), and the CLI's local-store tests (test/lib/store,
// the process lock) on each. The whole suite runs on the Node that runs npm. better-sqlite3 is
// built for that Node at `npm ci`, so on 22 and 24 the store runs on node:sqlite: the smoke and
// these tests are where that binding is exercised.
//   NODE_MATRIX=22,24   the majors to run (default 22,24)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const majors = (process.env.NODE_MATRIX ?? '22,24').split(',').filter(Boolean);
const engines = JSON.parse(execFileSync('npm', ['pkg', 'get', 'engines.node', '--workspaces'], { cwd: root, encoding: 'utf8' }));

for (const major of majors) {
  const prefix = join(root, '.cache', 'node-matrix', major);
  const node = join(prefix, 'node_modules', '.bin', 'node');
  if (!existsSync(node)) {
    // The `node` package's preinstall fetches the platform's binary package from the registry.
    // npm's output is shown only when the install fails.
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `node@${major}`], {
      stdio: 'pipe',
    });
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  for (const [name, range] of Object.entries(engines)) {
    if (range !== '>=20') throw new Error(`${name} declares engines.node ${range}; this script checks Node ${majors.join(', ')} against ">=20"`);
  }
  execFileSync(node, [join(root, 'scripts', 'node-matrix-smoke.mjs')], { cwd: root, stdio: 'inherit' });
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  execFileSync(node, [vitest, 'run', '--reporter=dot', 'test/lib/store', 'test/lib/process-lock.test.ts'], { cwd: join(root, 'apps', 'cli'), stdio: 'inherit' });
  if (!version.startsWith(`v${major}.`)) throw new Error(`node@${major} from the registry reports ${version}`);
}
