#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startPrism } from './engines/prism.js';
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
      --tasks <n>          demo tasks to seed (default 300; 100000 starts in seconds)
      --seed <n>           seed of the demo data (default 1)
      --data <file>        keep the data in this JSON file (loaded at start, saved atomically)
      --token-ttl <s>      access token lifetime in seconds (default 900)
      --refresh-ttl <s>    refresh token lifetime in seconds (default 604800)
      --cors-origin <o>    let browser apps call only from this origin (repeat it, or a comma
                           list; default any origin)
  Faults (off by default; change them at run time with PUT /__admin/faults):
      --latency <ms>       add this delay to every answer
      --jitter <ms>        add up to this much more, at random
      --error-rate <0-1>   answer this share of requests with 500, 502 or 503
      --rate-limit <n>     allow n requests per second, then 429 with Retry-After
      --drop-rate <0-1>    close this share of connections without an answer

Prism engine:
  -d, --dynamic            generate data from the schemas instead of the examples

Environment:
  DTM_MOCK_PASSWORD        the demo user's password (generated and printed when unset)
  DTM_MOCK_JWT_SECRET      the JWT signing key (random for each start when unset)

  -h, --help               show this help`;

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
        'token-ttl': { type: 'string' },
        'refresh-ttl': { type: 'string' },
        'cors-origin': { type: 'string', multiple: true },
        latency: { type: 'string' },
        jitter: { type: 'string' },
        'error-rate': { type: 'string' },
        'rate-limit': { type: 'string' },
        'drop-rate': { type: 'string' },
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
    const corsOrigin = origins(values['cors-origin']);
    const server = await startMockServer({
      port: integer('port', values.port, 65535) ?? 8000,
      host: values.host,
      tasks: integer('tasks', values.tasks, 10_000_000),
      seed: integer('seed', values.seed),
      dataFile: values.data,
      accessTokenTtlSeconds: integer('token-ttl', values['token-ttl']),
      refreshTokenTtlSeconds: integer('refresh-ttl', values['refresh-ttl']),
      corsOrigin,
      faults,
      log: values.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
    });
    stop = () => server.stop();
    const demo = server.users[0];
    const password = server.generatedPassword
      ? `password "${server.generatedPassword}" (generated for this run; set DTM_MOCK_PASSWORD to choose one)`
      : 'password from DTM_MOCK_PASSWORD';
    const active = Object.entries(faults).map(([key, value]) => `${key}=${String(value)}`);
    banner =
      `DTM mock server (stateful) listening on ${server.url}\n` +
        `  data:    ${server.taskCount()} tasks ${values.data ? `in ${values.data}` : 'in memory (--data FILE keeps them)'}\n` +
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
  const message = error instanceof Error ? error.message : String(error);
  const hint = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (another server uses that port: pick one with --port)' : '';
  process.stderr.write(`dtm-mock: ${message}${hint}\n`);
  process.exit(1);
});
