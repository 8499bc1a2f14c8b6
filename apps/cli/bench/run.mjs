// Start-up benchmark of `dtm` (npm run bench -w @dtm/cli), in one run:
//   node -e 0  |  dtm --version  |  dtm task list --json (against the stateful mock)
// Times from hyperfine (warm-up, then --runs), peak RSS as the median of /usr/bin/time's
// maximum resident set size over the same number of runs. Prints a Markdown table.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DTM_'))),
  DTM_API_URL: server.url,
  DTM_CONFIG_DIR: join(home, 'config'),
  DTM_DATA_DIR: join(home, 'data'),
  DTM_CREDENTIAL_STORE: 'file',
};
try {
  execFileSync(process.execPath, [bin, 'auth', 'login', '--username', 'demo', '--password-stdin'], { env, input: `${password}\n` });
  const commands = [
    ['node -e 0', [process.execPath, '-e', '0']],
    ['dtm --version', [process.execPath, bin, '--version']],
    ['dtm task list --json', [process.execPath, bin, 'task', 'list', '--json']],
  ];
  const exportFile = join(home, 'hyperfine.json');
  execFileSync(
    'hyperfine',
    ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', exportFile, ...commands.map(([, argv]) => argv.join(' '))],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const results = JSON.parse(readFileSync(exportFile, 'utf8')).results;
  const rss = commands.map(([, argv]) => {
    const samples = [];
    for (let run = 0; run < runs; run++) {
      const out = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { env, encoding: 'utf8' });
      samples.push(Number(out.stderr.trim().split('\n').at(-1)));
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)] / 1024;
  });
  const base = { time: results[0].median * 1000, rss: rss[0] };
  const cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim();
  console.log(`\nNode ${process.version}, ${cpu}, ${runs} runs each (median)\n`);
  console.log('| command | time (median) | × node | peak RSS (median) | × node |');
  console.log('|---|--:|--:|--:|--:|');
  commands.forEach(([name], index) => {
    const time = results[index].median * 1000;
    console.log(
      `| \`${name}\` | ${time.toFixed(1)} ms | ${(time / base.time).toFixed(2)} | ${rss[index].toFixed(1)} MB | ${(rss[index] / base.rss).toFixed(2)} |`,
    );
  });
} finally {
  mock.kill();
  rmSync(home, { recursive: true, force: true });
}
