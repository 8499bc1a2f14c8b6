// `npm run bench -w @dtm/mock-server`: req/s and p99 latency of a filtered, sorted list page,
// one task and a create, at 1k, 100k and 1M tasks, beside a bare node:http server answering the
// same bytes (and a bare Fastify app: the framework's own share); start-up time and RSS per
// size. Prints a markdown table.
//   BENCH_DIST=<dist dir>   the build to measure (default ./dist)
//   BENCH_SIZES=1000,100000 the store sizes (default 1000,100000,1000000)
//   BENCH_SECONDS=5         the length of each run
//   BENCH_WARMUP=2          seconds of the same load before each run, not counted
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.BENCH_DIST ?? join(here, '..', 'dist'));
const sizes = (process.env.BENCH_SIZES ?? '1000,100000,1000000').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = 10;
const warmUp = Number(process.env.BENCH_WARMUP ?? 2);
// A throw-away password for the bench's own server, never printed.
const password = randomBytes(12).toString('base64url');

const cases = [
  { name: 'list page', method: 'GET', path: '/api/v1/tasks?status=pending&sort=-updated_at&limit=50' },
  { name: 'one task', method: 'GET', path: '/api/v1/tasks/TASK-000001' },
  { name: 'create', method: 'POST', path: '/api/v1/tasks', body: JSON.stringify({ title: 'Bench task', priority: 'high' }) },
];

/** Starts bench/server.mjs with these arguments; resolves with its first JSON line and a stop function. */
function startServer(args) {
  const child = spawn(process.execPath, ['--expose-gc', join(here, 'server.mjs'), ...args], {
    env: { ...process.env, DTM_MOCK_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  return new Promise((resolveStart, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolveStart({ ...JSON.parse(line), stop });
    });
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before it started`)));
  });
}

async function login(url) {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status}`);
  return (await response.json()).access_token;
}

/** Req/s and latency of the case under load for `duration` seconds. */
function load(url, benchCase, headers, duration = seconds) {
  return new Promise((done, fail) => {
    autocannon(
      { url: `${url}${benchCase.path}`, method: benchCase.method, body: benchCase.body, headers, connections, duration },
      (error, result) => {
        if (error) return fail(error);
        const bad = result.non2xx + result.errors + result.timeouts;
        if (bad > 0) return fail(new Error(`${benchCase.name} at ${url}: ${bad} failed requests`));
        done({ rps: result.requests.average, p99: result.latency.p99, mean: result.latency.mean });
      },
    );
  });
}

/** Warms the server up with the case (the first second of a cold server runs at a fifth of its speed), then measures it. */
async function measure(url, benchCase, headers) {
  await load(url, benchCase, headers, warmUp);
  // Requests queued by the warm-up drain before the run starts.
  await fetch(`${url}/health`);
  return load(url, benchCase, headers);
}

const rows = [];
const startups = [];
let answers;
for (const size of sizes) {
  const server = await startServer([dist, String(size)]);
  try {
    startups.push({ size, startupMs: server.startupMs, rssMb: server.rssMb });
    const headers = { authorization: `Bearer ${await login(server.url)}`, 'content-type': 'application/json' };
    if (answers === undefined) {
      // The floor answers exactly what the mock answered for each case, at the first size.
      answers = [];
      for (const benchCase of cases) {
        const response = await fetch(`${server.url}${benchCase.path}`, { method: benchCase.method, headers, body: benchCase.body });
        answers.push({ method: benchCase.method, path: benchCase.path, status: response.status, body: await response.text() });
      }
    }
    for (const benchCase of cases) {
      // A slow case leaves requests queued after the run ends; let them drain before the next.
      await fetch(`${server.url}/health`);
      rows.push({ size, name: benchCase.name, ...(await measure(server.url, benchCase, headers)) });
    }
  } finally {
    await server.stop();
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'dtm-bench-'));
const answersFile = join(scratch, 'answers.json');
writeFileSync(answersFile, JSON.stringify(answers));
/** Each case's figures against the server started with these arguments. */
async function floorOf(args) {
  const server = await startServer(args);
  const figures = new Map();
  try {
    for (const benchCase of cases) figures.set(benchCase.name, await measure(server.url, benchCase, { 'content-type': 'application/json' }));
  } finally {
    await server.stop();
  }
  return figures;
}
let floor;
let fastify;
try {
  floor = await floorOf(['--bare', answersFile]);
  fastify = await floorOf(['--fastify', answersFile]);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const count = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));
const lines = [
  `dist: ${dist}; ${seconds} s per case after ${warmUp} s of warm-up, ${connections} connections`,
  '',
  '| case | tasks | req/s | p99 ms | mean ms | bare req/s | × bare | bare Fastify req/s | × Fastify |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const row of rows) {
  const times = (base) => (row.rps > 0 ? (base.rps / row.rps).toFixed(1) : '—');
  const [base, framework] = [floor.get(row.name), fastify.get(row.name)];
  lines.push(
    `| ${row.name} | ${count(row.size)} | ${Math.round(row.rps)} | ${row.p99} | ${row.mean.toFixed(2)} | ${Math.round(base.rps)} | ${times(base)} | ${Math.round(framework.rps)} | ${times(framework)} |`,
  );
}
lines.push('', '| tasks | start-up s | RSS MB |', '| ---: | ---: | ---: |');
for (const { size, startupMs, rssMb } of startups) lines.push(`| ${count(size)} | ${(startupMs / 1000).toFixed(1)} | ${Math.round(rssMb)} |`);
process.stdout.write(`${lines.join('\n')}\n`);
