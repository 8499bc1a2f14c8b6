// Per-request cost of @dtm/sdk against raw fetch, openapi-fetch and ky, in one run:
//   1. over loopback HTTP to a server in a child process (what users see), and
//   2. with a fake fetch that answers at once (client-side CPU only, no network noise);
//   3. the NDJSON export of 100,000 tasks: tasks.export() against a bare fetch stream.
// Rounds interleave the variants, rotating their order; each round's figure is the mean
// over its sequential requests, and the tables show the median and p25–p75 of the rounds.
// Usage: node --expose-gc bench/run.mjs [--rounds 20] [--requests 300] [--cpu-rounds 20] [--cpu-requests 200] [--warmup 200]
import { fork } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DtmClient } from '@dtm/sdk';
import ky from 'ky';
import createClient from 'openapi-fetch';
import { PAGE_SIZE, TOKEN, body, page } from './fixtures.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    requests: { type: 'string', default: '300' },
    'cpu-rounds': { type: 'string', default: '20' },
    'cpu-requests': { type: 'string', default: '200' },
    warmup: { type: 'string', default: '200' },
    'export-rounds': { type: 'string', default: '5' },
  },
});
const WARMUP = Number(args.warmup);

/** The clients under test, all sending the same GET with the same bearer token. */
function variants(baseUrl, fetchImpl) {
  const url = `${baseUrl}/api/v1/tasks?limit=${PAGE_SIZE}`;
  const headers = { authorization: `Bearer ${TOKEN}` };
  const fetchNow = fetchImpl ?? globalThis.fetch;
  const withFetch = fetchImpl ? { fetch: fetchImpl } : {};
  const openapi = createClient({ baseUrl, headers, ...withFetch });
  const kyBare = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, ...withFetch });
  const kyDefault = ky.create(withFetch);
  const sdk = new DtmClient({ baseUrl, token: TOKEN, ...withFetch });
  const sdkNoValidate = new DtmClient({ baseUrl, token: TOKEN, validate: false, ...withFetch });
  const textOf = (res) => {
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.text();
  };
  return [
    { name: 'raw fetch + JSON.parse', call: async () => JSON.parse(await textOf(await fetchNow(url, { headers }))) },
    {
      name: 'openapi-fetch 0.17',
      call: async () => {
        const { data, error } = await openapi.GET('/api/v1/tasks', { params: { query: { limit: PAGE_SIZE } } });
        if (error) throw new Error('openapi-fetch: error response');
        return data;
      },
    },
    { name: '@dtm/sdk (validate on, default)', call: () => sdk.tasks.list({ limit: PAGE_SIZE }) },
    { name: '@dtm/sdk (validate: false)', call: () => sdkNoValidate.tasks.list({ limit: PAGE_SIZE }) },
    { name: 'ky bare (diagnostic)', call: async () => JSON.parse(await textOf(await kyBare(url, { headers }))) },
    { name: 'ky default (diagnostic)', call: () => kyDefault.get(url, { headers }).json() },
  ];
}

/** Answers every request at once with the page, like a server with zero latency. */
const fakeFetch = () => Promise.resolve(new Response(body, { headers: { 'content-type': 'application/json' } }));

/** Whether the built SDK's schemas check formats (they decide most of the validation cost). */
async function checksFormats() {
  const bad = JSON.stringify({ ...page, items: [{ ...page.items[0], id: 'not-a-task-id', created_at: 'yesterday' }] });
  const answer = () => Promise.resolve(new Response(bad, { headers: { 'content-type': 'application/json' } }));
  const client = new DtmClient({ baseUrl: 'http://127.0.0.1:9', token: TOKEN, fetch: answer });
  return client.tasks.list().then(
    () => false,
    () => true,
  );
}

async function warmUp(list) {
  for (const variant of list) {
    const result = await variant.call();
    if (result?.items?.length !== PAGE_SIZE || result.items[PAGE_SIZE - 1].id !== `TASK-${String(PAGE_SIZE).padStart(6, '0')}`) {
      throw new Error(`${variant.name} returned an unexpected page`);
    }
    for (let n = 0; n < WARMUP; n++) await variant.call();
  }
}

/** Runs `rounds` rounds; returns, per variant, the mean µs per request of each round. */
async function measure(list, rounds, perRound) {
  const samples = list.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < list.length; k++) {
      const i = (k + round) % list.length;
      globalThis.gc?.(); // each variant pays for its own garbage, not the previous one's
      const started = performance.now();
      for (let n = 0; n < perRound; n++) await list[i].call();
      samples[i].push(((performance.now() - started) * 1000) / perRound);
    }
  }
  return samples;
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
}

function table(list, samples, unit) {
  const raw = samples[0];
  const lines = [
    `| client | ${unit} (median) | req/s | × raw | p25–p75 (${unit}) |`,
    '|---|--:|--:|--:|--:|',
  ];
  list.forEach((variant, i) => {
    const median = quantile(samples[i], 0.5);
    // Paired per round: each round's figure over raw's figure in the same round.
    const ratio = quantile(samples[i].map((value, round) => value / raw[round]), 0.5);
    const spread = `${quantile(samples[i], 0.25).toFixed(1)}–${quantile(samples[i], 0.75).toFixed(1)}`;
    lines.push(`| ${variant.name} | ${median.toFixed(1)} | ${Math.round(1e6 / median)} | ${ratio.toFixed(2)} | ${spread} |`);
  });
  return lines.join('\n');
}

/** tasks/s of a bare fetch stream (lines split, JSON.parse, no validation) and of tasks.export(), interleaved. */
async function measureExport(baseUrl, rounds) {
  const url = `${baseUrl}/api/v1/tasks/export?format=ndjson`;
  const headers = { authorization: `Bearer ${TOKEN}` };
  const sdk = new DtmClient({ baseUrl, token: TOKEN });
  const unvalidated = new DtmClient({ baseUrl, token: TOKEN, validate: false });
  const readers = {
    bare: async () => {
      const response = await fetch(url, { headers });
      const decoder = new TextDecoder();
      let buffer = '';
      let count = 0;
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          JSON.parse(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          count++;
        }
      }
      return count;
    },
    'tasks.export() (validated)': async () => {
      let count = 0;
      for await (const task of sdk.tasks.export()) if (task.id) count++;
      return count;
    },
    'tasks.export() (validate: false, diagnostic)': async () => {
      let count = 0;
      for await (const task of unvalidated.tasks.export()) if (task.id) count++;
      return count;
    },
  };
  const samples = Object.fromEntries(Object.keys(readers).map((name) => [name, []]));
  const names = Object.keys(readers);
  for (let round = 0; round < rounds + 1; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length];
      globalThis.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();
      const count = await readers[name]();
      const seconds = (performance.now() - started) / 1000;
      if (count !== 100_000) throw new Error(`${name} read ${count} tasks`);
      // The first round warms up.
      if (round > 0) samples[name].push({ rate: count / seconds, rssGrowth: Math.max(0, process.memoryUsage().rss - rssBefore) });
    }
  }
  return samples;
}

function startServer() {
  const child = fork(new URL('./server.mjs', import.meta.url), { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    child.once('message', (message) => {
      resolve(message.port);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`the server exited early (code ${code})`));
    });
  });
  return { child, ready };
}

const server = startServer();
process.once('exit', () => server.child.kill());
try {
  const port = await server.ready;
  const rounds = Number(args.rounds);
  const requests = Number(args.requests);
  const cpuRounds = Number(args['cpu-rounds']);
  const cpuRequests = Number(args['cpu-requests']);

  console.log(`Node ${process.version} · ${os.cpus()[0]?.model ?? 'unknown CPU'} · ${os.cpus().length} cores · ${os.platform()} ${os.arch()}`);
  console.log(`Page: ${PAGE_SIZE} tasks, ${body.length} bytes of JSON${globalThis.gc ? '' : ' · run with --expose-gc for steadier figures'}`);
  console.log(`@dtm/sdk build under test checks id/timestamp formats: ${(await checksFormats()) ? 'yes' : 'no (types only)'}\n`);

  const overHttp = variants(`http://127.0.0.1:${port}`);
  await warmUp(overHttp);
  const httpSamples = await measure(overHttp, rounds, requests);
  console.log(`### Loopback HTTP (server in a child process), ${rounds} rounds × ${requests} sequential requests per client\n`);
  console.log(table(overHttp, httpSamples, 'µs/request'));

  const cpuOnly = variants('http://127.0.0.1:9', fakeFetch);
  await warmUp(cpuOnly);
  const cpuSamples = await measure(cpuOnly, cpuRounds, cpuRequests);
  console.log(`\n### Client CPU only (fake fetch answering at once), ${cpuRounds} rounds × ${cpuRequests} calls per client\n`);
  console.log(table(cpuOnly, cpuSamples, 'µs/call'));
  console.log('\n× raw: median over rounds of (this client ÷ raw fetch in the same round).');

  const exportRounds = Number(args['export-rounds']);
  const exportSamples = await measureExport(`http://127.0.0.1:${port}`, exportRounds);
  console.log(`\n### Export of 100,000 tasks (NDJSON over loopback HTTP), ${exportRounds} rounds, median\n`);
  console.log('| reader | tasks/s | × bare stream | memory (RSS growth) |');
  console.log('|---|--:|--:|--:|');
  const bareRate = quantile(exportSamples.bare.map((sample) => sample.rate), 0.5);
  for (const [name, samples] of Object.entries(exportSamples)) {
    const rate = quantile(samples.map((sample) => sample.rate), 0.5);
    const growth = quantile(samples.map((sample) => sample.rssGrowth), 0.5);
    console.log(`| ${name} | ${Math.round(rate).toLocaleString('en')} | ${(rate / bareRate).toFixed(2)} | ${(growth / 2 ** 20).toFixed(1)} MiB |`);
  }
} finally {
  server.child.kill();
}
