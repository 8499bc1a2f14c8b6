#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDataFile, prepareDataFile, userDataDir } from './data-location.js';
import { startPrism } from './engines/prism.js';
import { isDataFileError } from './engines/stateful/persistence.js';
import { startMockServer } from './engines/stateful/server.js';
import type { Faults } from './faults.js';

const usage = `Usage: dtm-mock [--engine stateful|prism] [options]

Serves the DTM API (openapi.yaml) for development and tests.
  stateful (default)  a real in-memory DTM server: JWT login, CRUD, filters, ETags,
                      idempotency, bulk, export, burndown, demo data, fault injection
  prism               Prism on the contract: the spec's examples, and a 422 for any
                      request that breaks the contract

Options:
  -e, --engine <name>      stateful or prism (default stateful)
  -p, --port <n>           port (default 8000 stateful, 4010 prism; 0 picks a free one)
      --host <h>           address to listen on (default 127.0.0.1)
  -q, --quiet              do not log requests

Stateful engine:
      --tasks <n>          demo tasks to seed new data with (default 300; 100000 starts in seconds)
      --seed <n>           seed of the demo data (default 1)
  Data (kept across restarts, with the demo password, the JWT key and the logins):
      --data <file>        keep it in this JSON file, loaded at start and saved atomically
                           (default: data.json in DTM_MOCK_DATA_DIR, else in ${userDataDir()})
      --memory             keep nothing: fresh demo data, password and key for this run only
      --reset              delete the kept data and start over with fresh demo data
      --token-ttl <s>      access token lifetime in seconds (default 900)
      --refresh-ttl <s>    refresh token lifetime in seconds (default 604800)
      --spec <file>        the contract to serve (default: the package's openapi.yaml)
      --watch              reload the spec's request checks when the file changes
      --cors-origin <o>    let browser apps call only from this origin (repeat it, or a comma
                           list; default any origin)
  Faults (off by default; change them at run time with PUT /__admin/faults):
      --latency <ms>       add this delay to every answer
      --jitter <ms>        add up to this much more, at random
      --error-rate <0-1>   answer this share of requests with 500, 502 or 503
      --rate-limit <n>     allow n requests per second, then 429 with Retry-After
      --drop-rate <0-1>    close this share of connections without an answer
      --fault-seed <n>     seed the random faults, so a run can be replayed
  One request picks its own fault with "Prefer: code=<status>" or
  "X-Dtm-Fault: latency=200ms,status=503,drop"; GET /__admin/requests lists the last ones.

Prism engine:
  -d, --dynamic            generate data from the schemas instead of the examples

Environment:
  DTM_MOCK_PASSWORD        the demo user's password (when unset: generated, printed, kept with the data)
  DTM_MOCK_JWT_SECRET      the JWT signing key (when unset: random, kept with the data)
  DTM_MOCK_DATA_DIR        the folder of the kept data when --data is not given

  -h, --help               show this help
  -v, --version            print the version`;

function fail(message: string): never {
  process.stderr.write(`dtm-mock: ${message}\n\nRun dtm-mock --help for the options.\n`);
  process.exit(2);
}

function integer(name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > max) fail(`--${name} must be a whole number from 0 to ${max}, got "${value}"`);
  return number;
}

/** --cors-origin values: each may be a comma list; none means any origin. */
function origins(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const list = values.flatMap((value) => value.split(',')).map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of list) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) fail(`--cors-origin must be an origin like http://localhost:5173, got "${origin}"`);
  }
  return list;
}

function share(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !(number >= 0 && number <= 1)) fail(`--${name} must be a number from 0 to 1, got "${value}"`);
  return number;
}

/** The data file of this run (undefined with --memory), ready to open: its folder made, deleted on --reset. */
async function dataFileOf(values: { data?: string | undefined; memory: boolean; reset: boolean }): Promise<string | undefined> {
  if (values.memory && values.data !== undefined) fail('--memory and --data do not go together: --memory keeps nothing');
  if (values.memory && values.reset) fail('--memory and --reset do not go together: --memory has nothing to reset');
  if (values.memory) return undefined;
  const file = values.data ?? defaultDataFile();
  await prepareDataFile(file, { isDefault: values.data === undefined, reset: values.reset });
  return file;
}

/** How a damaged data file is reported: what is wrong, and the two ways out. */
function dataFileHint(file: string): string {
  const reset = file === defaultDataFile() ? 'dtm-mock --reset' : `dtm-mock --data ${JSON.stringify(file)} --reset`;
  return `To start over with fresh demo data, run ${reset} (it deletes that file; from the repository: npm start -- --reset), or move the file away.`;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        engine: { type: 'string', short: 'e', default: 'stateful' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string', default: '127.0.0.1' },
        quiet: { type: 'boolean', short: 'q', default: false },
        tasks: { type: 'string' },
        seed: { type: 'string' },
        data: { type: 'string' },
        memory: { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        'token-ttl': { type: 'string' },
        'refresh-ttl': { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        latency: { type: 'string' },
        jitter: { type: 'string' },
        'error-rate': { type: 'string' },
        'rate-limit': { type: 'string' },
        'drop-rate': { type: 'string' },
        'fault-seed': { type: 'string' },
        spec: { type: 'string' },
        watch: { type: 'boolean', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        dynamic: { type: 'boolean', short: 'd', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (values.version) {
    // ../package.json from both src/ and dist/.
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${version}\n`);
    return;
  }
  if (values.engine !== 'stateful' && values.engine !== 'prism') fail(`--engine must be stateful or prism, got "${values.engine}"`);

  let stop: () => Promise<void>;
  let banner: string;
  if (values.engine === 'prism') {
    const prism = await startPrism({ port: integer('port', values.port, 65535) ?? 4010, host: values.host, dynamic: values.dynamic });
    stop = () => prism.stop();
    banner =
      `DTM mock (Prism) listening on ${prism.url}\n` +
        `Protected operations need a header "Authorization: Bearer <any token>".\n` +
        `Press Ctrl-C to stop.\n`;
  } else {
    const faults: Partial<Faults> = {};
    const set = <K extends keyof Faults>(key: K, value: Faults[K] | undefined): void => {
      if (value !== undefined) faults[key] = value;
    };
    set('latencyMs', integer('latency', values.latency));
    set('jitterMs', integer('jitter', values.jitter));
    set('errorRate', share('error-rate', values['error-rate']));
    set('rateLimit', integer('rate-limit', values['rate-limit']));
    set('dropRate', share('drop-rate', values['drop-rate']));
    const dataFile = await dataFileOf(values);
    const corsOrigin = origins(values['cors-origin']);
    const server = await startMockServer({
      port: integer('port', values.port, 65535) ?? 8000,
      host: values.host,
      tasks: integer('tasks', values.tasks, 10_000_000),
      seed: integer('seed', values.seed),
      dataFile,
      accessTokenTtlSeconds: integer('token-ttl', values['token-ttl']),
      refreshTokenTtlSeconds: integer('refresh-ttl', values['refresh-ttl']),
      corsOrigin,
      faults,
      faultSeed: integer('fault-seed', values['fault-seed'], 0xffff_ffff),
      specPath: values.spec,
      watch: values.watch,
      log: values.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
    });
    stop = () => server.stop();
    const demo = server.users[0];
    const password = server.generatedPassword
      ? `password "${server.generatedPassword}" (${dataFile === undefined ? 'generated for this run' : 'generated once, kept with the data'}; set DTM_MOCK_PASSWORD to choose one)`
      : 'password from DTM_MOCK_PASSWORD';
    const where =
      dataFile === undefined
        ? 'in memory (--memory: nothing is kept)'
        : `in ${dataFile} (kept across restarts; --memory for a throw-away run, --reset to start over)`;
    const seedIgnored = server.dataFileLoaded && (values.tasks !== undefined || values.seed !== undefined);
    const active = Object.entries(faults).map(([key, value]) => `${key}=${String(value)}`);
    if (values['fault-seed'] !== undefined) active.push(`seed ${values['fault-seed']}`);
    banner =
      `DTM mock server (stateful) listening on ${server.url}\n` +
        `  data:    ${server.taskCount()} tasks ${where}\n` +
        (seedIgnored ? `  note:    kept data loaded, so --tasks and --seed were not used (add --reset to start over with them)\n` : '') +
        (values.reset ? `  reset:   the kept data, password and key were deleted; this is fresh demo data\n` : '') +
        `  log in:  username "${demo?.username ?? 'demo'}", ${password}\n` +
        `  use dtm: export DTM_API_URL=${server.url}; dtm auth login --username ${demo?.username ?? 'demo'}\n` +
        `  cors:    ${corsOrigin === undefined || corsOrigin.includes('*') ? 'any origin' : corsOrigin.join(', ')} (--cors-origin restricts it)\n` +
        `  faults:  ${active.length > 0 ? active.join(', ') : 'none'} (change them with PUT ${server.url}/__admin/faults)\n` +
        `Press Ctrl-C to stop.\n`;
  }
  const shutdown = (): void => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // Only now: whoever waits for this banner may stop the server right away.
  process.stdout.write(banner);
}

main().catch((error: unknown) => {
  if (isDataFileError(error)) {
    process.stderr.write(`dtm-mock: ${error.file} ${error.reason}.\n${dataFileHint(error.file)}\n`);
    process.exit(1);
  }
  const message = error instanceof Error ? error.message : String(error);
  const hint = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (another server uses that port: pick one with --port)' : '';
  process.stderr.write(`dtm-mock: ${message}${hint}\n`);
  process.exit(1);
});
