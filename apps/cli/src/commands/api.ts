import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { QueryValue } from '@dtm/sdk';
import { DtmCommand } from '../base-command.js';
import { type ApiAnswer, answerFrom } from '../lib/api-answer.js';
import { ResponseCache, cacheKey } from '../lib/api-cache.js';
import {
  type ApiMethod,
  type Field,
  type Json,
  apiMethods,
  buildObject,
  buildQuery,
  parseField,
  parseHeader,
  parsePath,
  resolveMethod,
} from '../lib/api-fields.js';
import { checkList, checkOperation } from '../lib/api-operations.js';
import { fetchAllPages, mergePages } from '../lib/api-paginate.js';
import { durationMs } from '../lib/config.js';
import { describeError } from '../lib/describe-error.js';
import { CliError, usageError } from '../lib/errors.js';
import { cacheDir } from '../lib/paths.js';
import { readStdin } from '../lib/prompt.js';
import { formatHead } from '../lib/render/http-head.js';
import { colorsFor } from '../lib/render/style.js';
import { isApiError } from '../lib/sdk-errors.js';
import { safeText } from '../lib/render/safe-text.js';

export default class Api extends DtmCommand<typeof Api> {
  static override summary = 'Send any request to the DTM API, like `gh api`';
  static override description =
    'The raw escape hatch: the request goes through the SDK, so the stored login, token renewal, retries, ' +
    'timeouts and the metrics log apply. The method is GET, or POST when fields or --input are given (GET ' +
    'with --paginate or --cache); name another as the first argument or with -X. The method and path are ' +
    'checked against the operations of the API before anything is sent (--unchecked sends them anyway). ' +
    'With GET, fields become query parameters; with the other methods they form a JSON body (-f keeps a ' +
    'value a string, -F reads true, false, null, numbers and JSON; `name[]=v` appends to a list, ' +
    '`name[key]=v` nests). --input sends a JSON body from a file or stdin (-), and fields then go into the ' +
    'query. The response body is printed on stdout (JSON pretty-printed); -i prints the status line and ' +
    'the response headers before it (token-like values redacted). --paginate reads every page of a list ' +
    'and prints all its items in one document (--slurp: an array of the pages). --cache 5m answers a GET ' +
    'from a copy on disk younger than that, kept per user. An error status prints its problem details on ' +
    'stdout, one line on stderr, and exits 1 (4 for 401).';
  static override usage = [
    'api [METHOD] PATH [-X METHOD] [-f key=value]... [-F key=value]... [-H header]... [--input FILE] [-i] [--paginate [--slurp]] [--cache DURATION]',
  ];
  static override examples = [
    '<%= config.bin %> api -X GET /api/v1/tasks -f status=pending -F limit=5',
    '<%= config.bin %> api /api/v1/tasks -f title="Write the docs" -f priority=high -f tags[]=docs',
    '<%= config.bin %> api -X PATCH /api/v1/tasks/TASK-000001 -F estimate_hours=3 -H "If-Match: \\"3\\""',
    'echo \'{"title":"From a file"}\' | <%= config.bin %> api /api/v1/tasks --input -',
    '<%= config.bin %> api /api/v1/tasks --paginate -F limit=200 -f status=pending',
    '<%= config.bin %> api /api/v1/tasks --paginate -f project_id=PRJ-001 --jq \'.items[] | select(.priority == "high") | .id\'',
    '<%= config.bin %> api -i /api/v1/tasks/TASK-000001',
    '<%= config.bin %> api /api/v1/projects --cache 5m',
    '<%= config.bin %> api DELETE /api/v1/tasks/TASK-000001',
  ];

  static override args = {
    // Not read from stdin when missing (oclif's default): stdin is the body of --input -.
    method: Args.string({
      ignoreStdin: true,
      description: `HTTP method: ${apiMethods.join(', ')} (default GET, or POST with fields or --input); or -X. Alone, the argument is the PATH`,
    }),
    path: Args.string({ ignoreStdin: true, description: 'Path below the API URL, starting with /, e.g. /api/v1/tasks' }),
  };

  static override flags = {
    method: Flags.string({ char: 'X', description: `The HTTP method: ${apiMethods.join(', ')} (as the METHOD argument)` }),
    'raw-field': Flags.string({ char: 'f', multiple: true, description: 'A string field key=value' }),
    field: Flags.string({ char: 'F', multiple: true, description: 'A typed field key=value (true, false, null, numbers, JSON)' }),
    input: Flags.string({ description: 'Send the JSON in this file as the body (- for stdin)' }),
    header: Flags.string({ char: 'H', multiple: true, description: "An extra request header 'Name: value'" }),
    include: Flags.boolean({ char: 'i', description: 'Print the HTTP status line and the response headers before the body' }),
    paginate: Flags.boolean({ description: 'GET every page of a list (by offset, to its total) and print all the items in one document' }),
    slurp: Flags.boolean({ description: 'With --paginate: print one JSON array of every page as received instead' }),
    cache: Flags.string({ description: 'Answer a GET from a copy on disk younger than this, e.g. 60s, 5m, 1h (2xx answers; per user)' }),
    unchecked: Flags.boolean({ description: 'Send the request even when the API has no such operation (a newer server, the mock server’s /__admin)' }),
  };

  async run(): Promise<void> {
    const [first, second] = [this.args.method, this.args.path];
    const [givenMethod, givenPath] = second === undefined ? [undefined, first] : [first, second];
    if (givenPath === undefined) throw usageError('Give the path of the request, e.g. /api/v1/tasks.', 'For example: dtm api /api/v1/tasks');
    if (second === undefined && (apiMethods as readonly string[]).includes(givenPath.toUpperCase())) {
      throw usageError(`Give the path of the request after ${givenPath.toUpperCase()}.`, `For example: dtm api ${givenPath.toUpperCase()} /api/v1/tasks`);
    }
    const target = parsePath(givenPath);
    // Keep the order of -f and -F as typed: a later field of the same name wins.
    const fields = this.#fields();
    // --paginate and --cache read: their fields are the query of a GET unless a method is named.
    const reads = this.flags.paginate || this.flags.cache !== undefined;
    const method = resolveMethod(givenMethod, this.flags.method, !reads && (fields.length > 0 || this.flags.input !== undefined));
    const template = this.flags.unchecked ? undefined : checkOperation(method, target.path);
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
    if (this.flags.paginate && method !== 'GET') throw usageError(`--paginate reads the pages of a list with GET, not ${method}.`);
    if (this.flags.paginate && template !== undefined) checkList(template, method, target.path);
    if (this.flags.slurp && !this.flags.paginate) throw usageError('--slurp needs --paginate.', 'For example: dtm api /api/v1/tasks --paginate --slurp');
    const cacheMs = this.#cacheMs(method);

    const send = async (pageQuery: Record<string, QueryValue>): Promise<ApiAnswer> => {
      const answer = await this.#send({ method, path: target.path, query: pageQuery, body, headers }, cacheMs);
      if (this.flags.include) process.stdout.write(formatHead(answer, this.tty));
      return answer;
    };
    try {
      if (this.flags.paginate) {
        // The first request goes as given (a path that takes no offset then answers what it is).
        const start = query.offset === undefined ? 0 : Number(query.offset);
        const first = Number.isInteger(start) ? start : 0;
        const answers = await fetchAllPages(
          (offset) => send(offset === first ? query : { ...query, offset }),
          first,
          `${method} ${target.path}`,
        );
        await this.#writeAnswer(mergePages(answers, this.flags.slurp));
      } else {
        await this.#writeAnswer((await send(query)).data);
      }
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (this.flags.include) process.stdout.write(formatHead(answerFrom(error.status, error.headers, error.problem), this.tty));
      // Like `gh api`: the error body on stdout (for scripts), one line on stderr.
      writeBody(error.problem);
      const described = describeError(error);
      const colors = colorsFor(process.stderr, this.flags['no-color']);
      process.stderr.write(`${colors.red('Error:')} ${safeText(described.message)}\n`);
      if (described.hint) process.stderr.write(`${colors.dim('Hint:')} ${safeText(described.hint)}\n`);
      this.exit(described.exitCode);
    }
  }

  /** A successful answer: filtered by --jq when given (as `gh api`, an error body is printed as it came). */
  async #writeAnswer(data: unknown): Promise<void> {
    const { jq } = this.flags;
    if (jq === undefined || data === undefined) {
      writeBody(data);
      return;
    }
    if (typeof data === 'string') throw new CliError('The answer is not JSON, so --jq cannot filter it.', { hint: 'Run it again without --jq.' });
    const { runJq } = await import('../lib/render/jq.js');
    process.stdout.write(await runJq(data, jq, this.tty));
  }

  /** --cache DURATION in ms (GET only), or undefined without the flag. */
  #cacheMs(method: ApiMethod): number | undefined {
    if (this.flags.cache === undefined) return undefined;
    if (method !== 'GET') throw usageError(`--cache keeps answers to GET requests, not ${method}.`);
    const ms = durationMs(this.flags.cache);
    if (!(ms > 0)) throw usageError(`--cache must be a duration greater than zero, like 60s, 5m or 1h, got "${this.flags.cache}".`);
    return ms;
  }

  /** One request: answered from the cache when it holds a fresh copy, else by the API (and kept, under --cache). */
  async #send(
    request: { method: ApiMethod; path: string; query: Record<string, QueryValue>; body: Json | undefined; headers: Record<string, string> },
    cacheMs: number | undefined,
  ): Promise<ApiAnswer> {
    let cached: { cache: ResponseCache; key: string } | undefined;
    if (cacheMs !== undefined) {
      const tokens = await (await this.credentials()).get();
      const key = cacheKey({ apiUrl: this.settings.apiUrl, path: request.path, query: request.query, headers: request.headers, accessToken: tokens?.accessToken });
      cached = { cache: new ResponseCache(cacheDir()), key };
      const hit = cached.cache.read(key, cacheMs);
      if (hit) {
        this.debugLine(`${request.method} ${request.path} answered from the cache (${Math.round(hit.ageMs / 1000)} s old)`);
        return hit.answer;
      }
    }
    const client = await this.client();
    const idempotencyKey = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
    const response = await client.request(
      { method: request.method, path: request.path, query: request.query, body: request.body },
      { headers: request.headers, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
    );
    const answer = answerFrom(response.status, response.headers, response.data);
    if (cached) {
      try {
        cached.cache.write(cached.key, answer);
      } catch (error) {
        // A cache that cannot be written costs the next call a request, not this one its answer.
        this.debugLine(`cache not written: ${(error as Error).message}`);
      }
    }
    return answer;
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
