#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startPrism } from './engines/prism.js';

const usage = `Usage: dtm-mock [--port 4010] [--host 127.0.0.1] [--dynamic]

Serves the DTM API contract (openapi.yaml) with Prism: answers with the spec's
examples and rejects requests that break the contract (422/401 with the
violation in the sl-violations header).

Options:
  -p, --port <n>   port to listen on (default 4010; 0 picks a free one)
  -h, --host <h>   address to listen on (default 127.0.0.1)
  -d, --dynamic    generate response data from the schemas instead of the examples
      --help       show this help`;

function fail(message: string): never {
  process.stderr.write(`dtm-mock: ${message}\n\n${usage}\n`);
  process.exit(2);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) fail(`--port must be a number from 0 to 65535, got "${value}"`);
  return port;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', short: 'p', default: '4010' },
        host: { type: 'string', short: 'h', default: '127.0.0.1' },
        dynamic: { type: 'boolean', short: 'd', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }

  const prism = await startPrism({ port: parsePort(values.port), host: values.host, dynamic: values.dynamic });
  process.stdout.write(
    `DTM mock (Prism) listening on ${prism.url}\n` +
      `Protected operations need a header "Authorization: Bearer <any token>".\n` +
      `Press Ctrl-C to stop.\n`,
  );
  const shutdown = () => {
    void prism.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`dtm-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
