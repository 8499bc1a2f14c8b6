// Start-up benchmark of `dtm` (npm run bench -w @dtm/cli), in one run:
//   node -e 0  |  dtm --version  |  dtm task list --help  |  dtm task list --json and
//   dtm task show ID --json (against the stateful mock), each beside a bare node:http script
//   making the same call (bench/bare-call.mjs)
// then, with the mock's `down` fault (connections refused), the same `task list` answered
// from the local store (one refused connection, then the fallback).
// Times from hyperfine (warm-up, then --runs), peak RSS as the median of /usr/bin/time's
// maximum resident set size over the same number of runs. Prints a Markdown table and what
// the fallback adds to the online command.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'run.js');

for (const tool of ['hyperfine', '/usr/bin/time']) {
  if (spawnSync(tool, ['--version']).error) {
    console.error(`${tool} is needed: apt-get install -y ${tool === 'hyperfine' ? 'hyperfine' : 'time'}`);
    process.exit(1);
  }
}

// The mock runs in its own process, as a real server would (this script blocks while measuring).
const password = `bench-${process.pid}-${Date.now()}`;
const mockCli = join(dirname(createRequire(import.meta.url).resolve('@dtm/mock-server')), 'cli.js');
const mock = spawn(process.execPath, [mockCli, '--port', '0', '--quiet', '--tasks', '300'], {
  env: { ...process.env, DTM_MOCK_PASSWORD: password },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let banner = '';
mock.stdout.setEncoding('utf8');
while (!/listening on (\S+)/.test(banner)) {
  const [chunk] = await once(mock.stdout, 'data');
  banner += chunk;
}
const server = { url: /listening on (\S+)/.exec(banner)[1] };
const home = mkdtempSync(join(tmpdir(), 'dtm-bench-'));
// NODE_EXTRA_CA_CERTS is left out: Node 20 parses that bundle at every start (~65 ms here), which
// would add the same constant to every row and hide the ratios; the mock is plain http anyway.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DTM_') && key !== 'NODE_EXTRA_CA_CERTS')),
  DTM_API_URL: server.url,
  DTM_CONFIG_DIR: join(home, 'config'),
  DTM_DATA_DIR: join(home, 'data'),
  DTM_CREDENTIAL_STORE: 'file',
};

/**
 * Runs hyperfine over `commands` ([name, argv, prepare argv?]), in one invocation; returns
 * the median times in ms.
 */
function hyperfine(commands, { ignoreFailure = false } = {}) {
  const exportFile = join(home, 'hyperfine.json');
  const prepares = commands.some(([, , prepare]) => prepare)
    ? commands.flatMap(([, , prepare]) => ['--prepare', prepare ? prepare.join(' ') : 'true'])
    : [];
  execFileSync(
    'hyperfine',
    [
      ...['-N', '--warmup', '3', '--runs', String(runs), '--export-json', exportFile],
      ...(ignoreFailure ? ['--ignore-failure'] : []),
      ...prepares,
      ...commands.map(([, argv]) => argv.join(' ')),
    ],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return JSON.parse(readFileSync(exportFile, 'utf8')).results.map((result) => result.median * 1000);
}

/** Median peak RSS in MB over `runs` runs, each after the command's `prepareHere` (a function) when it has one. */
function peakRss([, argv, , prepareHere]) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    prepareHere?.();
    const out = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { env, encoding: 'utf8' });
    samples.push(Number(out.stderr.trim().split('\n').at(-1)));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] / 1024;
}

/** True when a TCP connection to the URL's port is refused. */
function refused(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error) => resolve(error.code === 'ECONNREFUSED'));
  });
}

try {
  execFileSync(process.execPath, [bin, 'auth', 'login', '--username', 'demo', '--password-stdin'], { env, input: `${password}\n` });
  const taskList = [process.execPath, bin, 'task', 'list', '--json'];
  const loginAnswer = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password }),
  });
  env.DTM_BENCH_TOKEN = (await loginAnswer.json()).access_token;
  const bare = (path) => [process.execPath, join(root, 'bench', 'bare-call.mjs'), `${server.url}${path}`];
  const online = [
    ['node -e 0', [process.execPath, '-e', '0']],
    ['dtm --version', [process.execPath, bin, '--version']],
    ['dtm task list --help', [process.execPath, bin, 'task', 'list', '--help']],
    ['dtm task list --json', taskList],
    ['bare node:http: GET /api/v1/tasks', bare('/api/v1/tasks')],
    ['dtm task show TASK-000001 --json', [process.execPath, bin, 'task', 'show', 'TASK-000001', '--json']],
    ['bare node:http: GET /api/v1/tasks/TASK-000001', bare('/api/v1/tasks/TASK-000001')],
  ];
  /** Rows whose ratio to a bare call is printed: [dtm command, its bare call]. */
  const pairs = [
    ['dtm task list --json', 'bare node:http: GET /api/v1/tasks'],
    ['dtm task show TASK-000001 --json', 'bare node:http: GET /api/v1/tasks/TASK-000001'],
  ];
  // Each online run also refreshes the local copy the fallback answers from.
  const onlineTimes = hyperfine(online);
  const onlineRss = online.map(peakRss);

  // Down for longer than the measurements take; the mock is stopped at the end anyway.
  const down = await fetch(`${server.url}/__admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ down: true, downForMs: 600_000 }),
  });
  if (down.status !== 202) throw new Error(`could not take the mock down: ${down.status} ${await down.text()}`);
  while (!(await refused(server.url))) await new Promise((resolve) => setTimeout(resolve, 20));

  // Each command starts with one attempt (a breaker left open by an earlier command is half-open), refused at once.
  const fallback = [['dtm task list --json, API refusing connections (fallback)', taskList]];
  // Both must answer from the local copy (exit 3) before they are timed with --ignore-failure.
  for (const [name, argv] of fallback) {
    const check = spawnSync(argv[0], [...argv.slice(1), '--debug'], { env, encoding: 'utf8' });
    if (check.status !== 3 || JSON.parse(check.stdout).source !== 'local') {
      throw new Error(`${name}: expected an answer from the local copy (exit 3), got exit ${check.status}:\n${check.stderr}`);
    }
    const call = /debug: (GET listTasks → .*)/.exec(check.stderr)?.[1] ?? 'no listTasks call';
    console.error(`${name}: exit 3, answered from the local copy; --debug: ${call}`);
  }
  const fallbackTimes = hyperfine(fallback, { ignoreFailure: true });
  const fallbackRss = fallback.map(peakRss);

  const commands = [...online, ...fallback];
  const times = [...onlineTimes, ...fallbackTimes];
  const rss = [...onlineRss, ...fallbackRss];
  const base = { time: times[0], rss: rss[0] };
  const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
  console.log(`\nNode ${process.version}, ${cpu}, ${runs} runs each (median)\n`);
  console.log('| command | time (median) | × node | peak RSS (median) | × node |');
  console.log('|---|--:|--:|--:|--:|');
  commands.forEach(([name], index) => {
    console.log(
      `| \`${name}\` | ${times[index].toFixed(1)} ms | ${(times[index] / base.time).toFixed(2)} | ${rss[index].toFixed(1)} MB | ${(rss[index] / base.rss).toFixed(2)} |`,
    );
  });
  const at = (name) => commands.findIndex(([command]) => command === name);
  console.log('');
  for (const [command, floor] of pairs) {
    console.log(`\`${command}\`: ${(times[at(command)] / times[at(floor)]).toFixed(2)}× the bare call (goal ≤ 2.0), peak RSS ${(rss[at(command)] / base.rss).toFixed(2)}× node -e 0 (goal ≤ 1.5)`);
  }
  console.log(`\`dtm task list --help\`: ${(times[at('dtm task list --help')] / base.time).toFixed(2)}× node -e 0 (goal ≤ 1.8)`);
  const onlineList = times[at('dtm task list --json')];
  console.log('');
  fallback.forEach(([name], index) => {
    const added = fallbackTimes[index] - onlineList;
    console.log(`${name}: fallback adds ${added.toFixed(1)} ms over the online command (target ≤ 50 ms: ${added <= 50 ? 'met' : 'not met'})`);
  });
} finally {
  mock.kill();
  rmSync(home, { recursive: true, force: true });
}
