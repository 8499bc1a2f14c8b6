import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { QueryValue } from '@dtm/sdk';
import { DtmCommand } from '../base-command.js';
import {
  type Field,
  type Json,
  apiMethods,
  buildObject,
  buildQuery,
  parseField,
  parseHeader,
  parseMethod,
  parsePath,
} from '../lib/api-fields.js';
import { describeError } from '../lib/describe-error.js';
import { usageError } from '../lib/errors.js';
import { readStdin } from '../lib/prompt.js';
import { colorsFor } from '../lib/render/style.js';
import { isApiError } from '../lib/sdk-errors.js';
import { safeText } from '../lib/render/safe-text.js';

export default class Api extends DtmCommand<typeof Api> {
  static override summary = 'Send any request to the DTM API, like `gh api`';
  static override description =
    'The raw escape hatch: the request goes through the SDK, so the stored login, token renewal, retries, ' +
    'timeouts and the metrics log apply. With GET, fields become query parameters; with the other methods ' +
    'they form a JSON body (-f keeps a value a string, -F reads true, false, null, numbers and JSON; ' +
    '`name[]=v` appends to a list, `name[key]=v` nests). --input sends a JSON body from a file or stdin (-), ' +
    'and fields then go into the query. The response body is printed on stdout (JSON pretty-printed). ' +
    'An error status prints its problem details on stdout, one line on stderr, and exits 1 (4 for 401).';
  static override examples = [
    '<%= config.bin %> api GET /api/v1/tasks -f status=pending -F limit=5',
    '<%= config.bin %> api POST /api/v1/tasks -f title="Write the docs" -f priority=high -f tags[]=docs',
    '<%= config.bin %> api PATCH /api/v1/tasks/TASK-000001 -F estimate_hours=3 -H "If-Match: \\"3\\""',
    'echo \'{"title":"From a file"}\' | <%= config.bin %> api POST /api/v1/tasks --input -',
    '<%= config.bin %> api GET /auth/me',
  ];

  static override args = {
    method: Args.string({ required: true, description: `HTTP method: ${apiMethods.join(', ')}` }),
    path: Args.string({ required: true, description: 'Path below the API URL, starting with /, e.g. /api/v1/tasks' }),
  };

  static override flags = {
    'raw-field': Flags.string({ char: 'f', multiple: true, description: 'A string field key=value' }),
    field: Flags.string({ char: 'F', multiple: true, description: 'A typed field key=value (true, false, null, numbers, JSON)' }),
    input: Flags.string({ description: 'Send the JSON in this file as the body (- for stdin)' }),
    header: Flags.string({ char: 'H', multiple: true, description: "An extra request header 'Name: value'" }),
  };

  async run(): Promise<void> {
    const method = parseMethod(this.args.method);
    const target = parsePath(this.args.path);
    // Keep the order of -f and -F as typed: a later field of the same name wins.
    const fields = this.#fields();
    const headers: Record<string, string> = {};
    for (const text of this.flags.header ?? []) {
      const [name, value] = parseHeader(text);
      headers[name] = value;
    }
    let body: Json | undefined;
    let query: Record<string, QueryValue> = target.query;
    if (this.flags.input !== undefined) {
      if (method === 'GET') throw usageError('A GET request cannot send a body (--input).', 'Use fields (-f, -F) for the query.');
      body = await readJsonInput(this.flags.input);
      query = { ...query, ...buildQuery(fields) };
    } else if (method === 'GET') {
      query = { ...query, ...buildQuery(fields) };
    } else if (fields.length > 0) {
      body = buildObject(fields);
    }

    const client = await this.client();
    const idempotencyKey = Object.entries(headers).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
    try {
      const response = await client.request(
        { method, path: target.path, query, body },
        { headers, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
      );
      writeBody(response.data);
    } catch (error) {
      if (!isApiError(error)) throw error;
      // Like `gh api`: the error body on stdout (for scripts), one line on stderr.
      writeBody(error.problem);
      const described = describeError(error);
      const colors = colorsFor(process.stderr, this.flags['no-color']);
      process.stderr.write(`${colors.red('Error:')} ${described.message}\n`);
      if (described.hint) process.stderr.write(`${colors.dim('Hint:')} ${described.hint}\n`);
      this.exit(described.exitCode);
    }
  }

  #fields(): Field[] {
    // oclif keeps each flag's values in order, but not the order between -f and -F: recover it from argv.
    const raw = [...(this.flags['raw-field'] ?? [])];
    const typed = [...(this.flags.field ?? [])];
    const fields: Field[] = [];
    for (let index = 0; index < this.argv.length; index++) {
      const token = this.argv[index] ?? '';
      if (token === '--') break;
      const kind = fieldFlag(token);
      if (kind === undefined) continue;
      const list = kind === 'typed' ? typed : raw;
      const value = list.shift();
      if (value !== undefined) fields.push(parseField(value, kind === 'typed'));
      if (!token.includes('=') && !/^-[fF]./.test(token)) index++;
    }
    // Anything argv scanning missed (it should not happen) still counts.
    for (const value of raw) fields.push(parseField(value, false));
    for (const value of typed) fields.push(parseField(value, true));
    return fields;
  }
}

function fieldFlag(token: string): 'raw' | 'typed' | undefined {
  if (token === '-f' || token === '--raw-field' || token.startsWith('--raw-field=') || /^-f./.test(token)) return 'raw';
  if (token === '-F' || token === '--field' || token.startsWith('--field=') || /^-F./.test(token)) return 'typed';
  return undefined;
}

async function readJsonInput(source: string): Promise<Json> {
  let text: string;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (error) {
    throw usageError(`Cannot read ${source}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw usageError(`${source === '-' ? 'stdin' : source} does not hold valid JSON.`, '--input sends a JSON body.');
  }
}

function writeBody(data: unknown): void {
  if (data === undefined) return;
  // A body that is not JSON is passed through exactly to a pipe; a terminal gets its control characters shown, not obeyed.
  const text = typeof data === 'string' ? (process.stdout.isTTY ? safeText(data) : data) : JSON.stringify(data, null, 2);
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
