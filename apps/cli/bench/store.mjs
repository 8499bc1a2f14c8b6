// The local store's benchmark (npm run bench -w @dtm/cli, after run.mjs). Each `dtm` figure
// is measured beside its floor in the same hyperfine run, against stateful mocks in their own
// processes (medians):
//   - task bulk-update over 10,000 and 50,000 tasks, store on   vs  bare.mjs sending the same requests
//                                                                (and vs dtm with the store off: what the store adds)
//   - 100,000 tasks in the store: online task list --limit 10    vs  the same with DTM_FALLBACK_ENABLED=false
//   - offline task list --limit 10 and task show                 vs  the online read with the store off
//   - dtm sync pulling 1,000 changed tasks out of 100,000         vs  bare.mjs fetching that page of the feed
//   - how long after a change the 100k-task CSV mirror is current (the command does not wait for it)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'run.js');
const bare = join(root, 'bench', 'bare.mjs');
const require = createRequire(import.meta.url);
const mockCli = join(dirname(require.resolve('@dtm/mock-server')), 'cli.js');
const home = mkdtempSync(join(tmpdir(), 'dtm-bench-store-'));
const password = `bench-${process.pid}`;
const mocks = [];

async function startMock(tasks) {
  const mock = spawn(process.execPath, [mockCli, '--port', '0', '--quiet', '--tasks', String(tasks)], {
    env: { ...process.env, DTM_MOCK_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  mocks.push(mock);
  let banner = '';
  mock.stdout.setEncoding('utf8');
  while (!/listening on (\S+)/.test(banner)) banner += (await once(mock.stdout, 'data'))[0];
  const url = /listening on (\S+)/.exec(banner)[1];
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo', password }) });
  const token = (await login.json()).access_token;
  const tokenFile = join(home, `token-${tasks}`);
  writeFileSync(tokenFile, token);
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DTM_'))),
    DTM_API_URL: url,
    DTM_CONFIG_DIR: join(home, 'config'),
    DTM_DATA_DIR: join(home, 'data'),
    DTM_CREDENTIAL_STORE: 'file',
  };
  execFileSync(process.execPath, [bin, 'auth', 'login', '--username', 'demo', '--password-stdin'], { env, input: `${password}\n` });
  // The store holds every task of the server, as after a first `dtm sync`.
  execFileSync(process.execPath, [bin, 'sync'], { env, stdio: 'ignore' });
  return { url, token, tokenFile, env };
}

/** hyperfine over [name, argv, prepare?] in one run (same environment); medians in ms. */
function hyperfine(env, commands, runCount = runs, { ignoreFailure = false } = {}) {
  const exportFile = join(home, 'hyperfine.json');
  const prepares = commands.some(([, , prepare]) => prepare) ? commands.flatMap(([, , prepare]) => ['--prepare', prepare ? prepare.join(' ') : 'true']) : [];
  execFileSync(
    'hyperfine',
    ['-N', '--warmup', '1', '--runs', String(runCount), '--export-json', exportFile, ...(ignoreFailure ? ['--ignore-failure'] : []), ...prepares, ...commands.map(([, argv]) => argv.join(' '))],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return JSON.parse(readFileSync(exportFile, 'utf8')).results.map((result) => result.median * 1000);
}

const rows = [];
function report(what, ms, floorName, floorMs, target) {
  const ratio = ms / floorMs;
  console.error(`${what}: ${ms.toFixed(0)} ms; ${floorName}: ${floorMs.toFixed(0)} ms`);
  const verdict = target === undefined ? '—' : target(ms, floorMs) ? 'met' : 'NOT met';
  rows.push(`| ${what} | ${ms.toFixed(0)} ms | ${floorName} | ${floorMs.toFixed(0)} ms | ${ratio.toFixed(2)}× (${(ms - floorMs).toFixed(0)} ms) | ${verdict} |`);
}

/** The store file of the server `env` points at. */
function storeFileOf(env) {
  const dtm = spawnSync(process.execPath, [bin, 'status', 'sync', '--json', 'store'], { env, encoding: 'utf8' });
  return JSON.parse(dtm.stdout).store;
}

try {
  // 1. bulk-update
  for (const count of [10_000, 50_000]) {
    const server = await startMock(count);
    const runsHere = count > 10_000 ? 3 : 5;
    const filter = ['--filter', 'priority=low,medium,high,critical'];
    // The mock's code is warmed up first: hyperfine runs the first command's runs first, which would otherwise meet a cold server.
    for (let warm = 0; warm < 3; warm++) execFileSync(process.execPath, [bare, 'bulk', server.url, `@${server.tokenFile}`, 'warm-up'], { stdio: 'ignore' });
    const [dtm, floor, storeOff] = hyperfine(
      server.env,
      [
        ['dtm', [process.execPath, bin, 'task', 'bulk-update', ...filter, '--assignee', 'bench-a', '--json']],
        ['bare', [process.execPath, bare, 'bulk', server.url, `@${server.tokenFile}`, 'bench-b']],
        ['dtm, store off', ['env', 'DTM_FALLBACK_ENABLED=false', process.execPath, bin, 'task', 'bulk-update', ...filter, '--assignee', 'bench-c', '--json']],
      ],
      runsHere,
    );
    report(`task bulk-update, ${count.toLocaleString('en')} tasks, store on`, dtm, 'bare fetch, same requests', floor, (a, b) => a <= 1.3 * b);
    // What the store itself adds (the rest is the CLI's start-up and the SDK's validation).
    report(`task bulk-update, ${count.toLocaleString('en')} tasks, store on`, dtm, 'the same, store off', storeOff);
  }

  // 2–4. a store of 100,000 tasks
  const big = await startMock(100_000);
  const show = 'TASK-050000';
  const node = process.execPath;
  // The offline reads exit 3 (a local answer): checked here, then timed with --ignore-failure.
  for (const argv of [['task', 'list', '--limit', '10', '--json', '--offline'], ['task', 'show', show, '--json', '--offline']]) {
    const check = spawnSync(node, [bin, ...argv], { env: big.env, encoding: 'utf8' });
    if (check.status !== 3 || JSON.parse(check.stdout).source !== 'local') throw new Error(`dtm ${argv.join(' ')}: expected a local answer (exit 3), got ${check.status}: ${check.stderr}`);
  }
  const [online, off, offlineList, onlineShowOff, offlineShow] = hyperfine(big.env, [
    ['online list', [node, bin, 'task', 'list', '--limit', '10', '--json']],
    ['online list, store off', ['env', 'DTM_FALLBACK_ENABLED=false', node, bin, 'task', 'list', '--limit', '10', '--json']],
    ['offline list', [node, bin, 'task', 'list', '--limit', '10', '--json', '--offline']],
    ['online show, store off', ['env', 'DTM_FALLBACK_ENABLED=false', node, bin, 'task', 'show', show, '--json']],
    ['offline show', [node, bin, 'task', 'show', show, '--json', '--offline']],
  ], runs, { ignoreFailure: true });
  report('online task list --limit 10, 100k in the store', online, 'store off (DTM_FALLBACK_ENABLED=false)', off, (a, b) => a - b <= 30);
  report('offline task list --limit 10, 100k in the store', offlineList, 'online list, store off', off, (a, b) => a <= b);
  report('offline task show, 100k in the store', offlineShow, 'online show, store off', onlineShowOff, (a, b) => a <= b);

  // 1,000 tasks changed on the server (the same ones each time: the compacted feed then holds exactly 1,000 after the cursor).
  const changeScript = join(home, 'change.mjs');
  writeFileSync(
    changeScript,
    `const [url, token, cursorFile, storeFile] = process.argv.slice(2);
     const { readFileSync, writeFileSync } = await import('node:fs');
     const Database = (await import(${JSON.stringify(require.resolve('better-sqlite3'))})).default;
     const db = new Database(storeFile, { readonly: true });
     writeFileSync(cursorFile, db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get().value);
     db.close();
     const headers = { authorization: 'Bearer ' + readFileSync(token, 'utf8').trim(), 'content-type': 'application/json' };
     const stamp = String(Date.now());
     for (let start = 1; start <= 1000; start += 500) {
       const operations = Array.from({ length: 500 }, (_, i) => ({ op: 'update', id: 'TASK-' + String(start + i).padStart(6, '0'), data: { title: 'changed ' + stamp } }));
       const r = await fetch(url + '/api/v1/tasks/bulk', { method: 'POST', headers, body: JSON.stringify({ operations }) });
       if (!r.ok) throw new Error('bulk ' + r.status);
     }`,
  );
  const storeFile = storeFileOf(big.env);
  const cursorFile = join(home, 'cursor');
  const prepare = [node, changeScript, big.url, big.tokenFile, cursorFile, storeFile];
  const [syncMs, feedMs] = hyperfine(big.env, [
    ['dtm sync', [node, bin, 'sync', '--json'], prepare],
    ['bare feed page', [node, bare, 'changes', big.url, `@${big.tokenFile}`, `@${cursorFile}`], prepare],
  ]);
  report('dtm sync pulling 1,000 changed of 100k', syncMs, 'bare fetch of that feed page', feedMs, (a, b) => a <= 2 * b);

  // 5. the mirror: time from the end of a command that changed the store to tasks.csv holding the change.
  const mirror = join(dirname(storeFile), 'tasks.csv');
  const lags = [];
  for (let run = 0; run < 5; run++) {
    const before = statSync(mirror).mtimeMs;
    const title = `mirror check ${run} ${Date.now()}`;
    execFileSync(node, [bin, 'task', 'update', 'TASK-000007', '--title', title, '--json'], { env: big.env, stdio: 'ignore' });
    const done = performance.now();
    for (;;) {
      const stat = statSync(mirror, { throwIfNoEntry: false });
      if (stat !== undefined && stat.mtimeMs !== before && readFileSync(mirror, 'utf8').includes(title)) break;
      if (performance.now() - done > 30_000) throw new Error('the mirror was not written within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    lags.push(performance.now() - done);
  }
  lags.sort((a, b) => a - b);
  const lag = lags[2];
  rows.push(`| 100k-task CSV mirror current after a change (off the command's path) | ${lag.toFixed(0)} ms | target | 2000 ms | — | ${lag <= 2000 ? 'met' : 'NOT met'} |`);

  const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
  console.log(`\nLocal store — Node ${process.version}, ${cpu}, medians (hyperfine; ${runs} runs, bulk 5/3)\n`);
  console.log('| dtm | time | floor | floor time | ratio (added) | target |');
  console.log('|---|--:|---|--:|--:|---|');
  for (const row of rows) console.log(row);
} finally {
  for (const mock of mocks) mock.kill();
  rmSync(home, { recursive: true, force: true });
}
