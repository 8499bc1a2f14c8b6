// dtm task export: 2,500+ tasks in each format, compared with the API's list.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task, TaskPage } from '@dtm/sdk';
import { type Result, type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';
import { type Api, apiFor } from './support.js';

const fields = [
  'id',
  'title',
  'description',
  'status',
  'priority',
  'project_id',
  'sprint_id',
  'assignee',
  'tags',
  'due_date',
  'estimate_hours',
  'completed_at',
  'completion_notes',
  'created_at',
  'updated_at',
  'version',
] as const;
const trickyTitle = 'Comma, "quote" and\nnewline';

let box: Sandbox;
let api: Api;
let dir: string;
let tricky: Task;
beforeAll(async () => {
  box = await sandbox({ tasks: 2500 });
  await box.login();
  api = await apiFor(box);
  dir = await mkdtemp(join(tmpdir(), 'dtm-export-'));
  const created = await api('POST', '/api/v1/tasks', { title: trickyTitle, description: 'Line one\r\nline "two", end', tags: ['a', 'b'] });
  tricky = created.body as Task;
});
afterAll(async () => {
  await box.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Every task matching a query, from the API's paged list. */
async function listed(query = ''): Promise<Task[]> {
  const tasks: Task[] = [];
  for (;;) {
    const body = (await api('GET', `/api/v1/tasks?limit=1000&offset=${tasks.length}${query}`)).body as TaskPage;
    tasks.push(...body.items);
    if (body.items.length === 0 || tasks.length >= body.total) return tasks;
  }
}

/** A minimal RFC 4180 parser: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || (char === '\r' && text[index + 1] === '\n')) {
      if (char === '\r') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** A task field as the contract's CSV writes it: tags joined with ';', null as an empty cell. */
function csvCell(value: string | number | string[] | null): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

function expectClean(result: Result): void {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
}

describe('dtm task export to stdout', () => {
  let all: Task[];
  beforeAll(async () => {
    all = await listed();
    expect(all.length).toBe(2501);
  });

  it('ndjson and json hold every task, equal to the list, in its order, and nothing else', async () => {
    const [ndjson, json] = await Promise.all([box.run(['task', 'export', '--format', 'ndjson']), box.run(['task', 'export', '--format', 'json'])]);
    expectClean(ndjson);
    const lines = ndjson.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line) as Task)).toEqual(all);

    expectClean(json);
    expect(JSON.parse(json.stdout)).toEqual(all);
  });

  it('csv is the server’s CSV: a header, then one row per task that round-trips every field', async () => {
    const csv = await box.run(['task', 'export', '--format', 'csv']);
    expectClean(csv);
    const [header, ...rows] = parseCsv(csv.stdout);
    expect(header).toEqual(fields);
    expect(rows.map((row) => row[0])).toEqual(all.map((task) => task.id));
    expect(rows).toEqual(all.map((task) => fields.map((field) => csvCell(task[field]))));
    const row = rows.find((cells) => cells[0] === tricky.id);
    expect(row?.[1]).toBe(trickyTitle);
    expect(row?.[2]).toBe('Line one\r\nline "two", end');
    expect(row?.[8]).toBe('a;b');
  });
});

describe('dtm task export --output', () => {
  it('writes the whole file (csv, format from --format), leaves no .partial, and sums up on stderr', async () => {
    const file = join(dir, 'tasks.csv');
    const [result, stdoutCsv] = await Promise.all([
      box.run(['task', 'export', '--format', 'csv', '--output', file]),
      box.run(['task', 'export', '--format', 'csv']),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`✓ Exported 2501 tasks to ${file}\n`);
    expect(await readFile(file, 'utf8')).toBe(stdoutCsv.stdout);
    expect(await readdir(dir)).toEqual(['tasks.csv']);
  });

  it('--json prints {file, format, count}; the format follows the extension; filters and sort apply', async () => {
    const jsonFile = join(dir, 'all.json');
    const ndjsonFile = join(dir, 'done.ndjson');
    const [json, filtered, want] = await Promise.all([
      box.run(['task', 'export', '--output', jsonFile, '--json']),
      box.run(['task', 'export', '--output', ndjsonFile, '--project', 'PRJ-001', '--status', 'completed,cancelled', '--sort', '-id']),
      listed('&project_id=PRJ-001&status=completed,cancelled&sort=-id'),
    ]);
    expectClean(json);
    expect(JSON.parse(json.stdout)).toEqual({ file: jsonFile, format: 'json', count: 2501 });
    expect((JSON.parse(await readFile(jsonFile, 'utf8')) as Task[]).map((task) => task.id)).toEqual((await listed()).map((task) => task.id));

    expect(filtered.code, filtered.stderr).toBe(0);
    expect(want.length).toBeGreaterThan(100);
    expect(filtered.stderr).toBe(`✓ Exported ${want.length} tasks to ${ndjsonFile}\n`);
    const lines = (await readFile(ndjsonFile, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as Task).id)).toEqual(want.map((task) => task.id));
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it.runIf(canRunInTerminal)('on a terminal it counts the records written, then sums up', async () => {
    const file = join(dir, 'terminal.ndjson');
    const result = await runInTerminal(box, ['task', 'export', '--output', file]);
    const output = stripVTControlCharacters(result.output);
    expect(result.code, output).toBe(0);
    expect(output).toMatch(/Exporting… \d+ tasks/);
    expect(output).toContain(`✓ Exported 2501 tasks to ${file}`);
    expect((await readFile(file, 'utf8')).trimEnd().split('\n')).toHaveLength(2501);
  });

  it('bad input is exit code 2; an unwritable file or a down server is 1 and leaves no file', async () => {
    const downFile = join(dir, 'down.csv');
    const missingDir = join(dir, 'missing', 'x.csv');
    const run = (...args: string[]): Promise<Result> => box.run(['task', 'export', ...args]);
    const [badFormat, noFormat, unknownExtension, jsonToStdout, badProject, unwritable, down] = await Promise.all([
      run('--format', 'xml'),
      run(),
      run('--output', join(dir, 'tasks.txt')),
      run('--format', 'json', '--json'),
      run('--format', 'csv', '--project', 'one'),
      run('--format', 'csv', '--output', missingDir),
      run('--output', downFile, '--api-url', 'http://127.0.0.1:1'),
    ]);
    const usage: [Result, RegExp][] = [
      [badFormat, /Expected --format=xml to be one of: json, ndjson, csv/],
      [noFormat, /^Error: Which format\? Pass --format json, ndjson or csv\./],
      [unknownExtension, /Which format\?.*\nHint: Or name the file \.json, \.ndjson or \.csv\./],
      [badProject, /--project must be a project id like PRJ-001/],
    ];
    for (const [result, message] of usage) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    }
    expect(jsonToStdout.code).toBe(2);
    expect(JSON.parse(jsonToStdout.stdout)).toMatchObject({
      error: { code: 'usage', message: expect.stringMatching(/^--json needs --output/) as string },
    });

    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/^Error: Cannot write .*x\.csv: its folder does not exist\./);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^Error: Cannot reach the DTM API/);
    expect(down.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(downFile)).toBe(false);
    expect(existsSync(`${downFile}.partial`)).toBe(false);
  });
});

describe('dtm task export --format csv against formula injection', () => {
  // Cells a spreadsheet would run as a formula (OWASP "CSV Injection") come out with a leading '.
  const evil = [
    { title: '=HYPERLINK("http://evil","x")', description: "+cmd|' /C calc'!A0", tags: ['-x', 'ok'] },
    { title: '@SUM(1+1)', description: '-2.5', tags: [] },
    { title: '\tTabbed', description: '\rCarriage return first', tags: [] },
    { title: '-2+3', description: 'A normal description', tags: [] },
  ];
  const want = [
    { title: `'=HYPERLINK("http://evil","x")`, description: "'+cmd|' /C calc'!A0", tags: "'-x;ok" },
    { title: `'@SUM(1+1)`, description: '-2.5', tags: '' },
    { title: `'\tTabbed`, description: `'\rCarriage return first`, tags: '' },
    { title: `'-2+3`, description: 'A normal description', tags: '' },
  ];
  let ids: string[];
  beforeAll(async () => {
    ids = [];
    for (const body of evil) {
      const created = await api('POST', '/api/v1/tasks', body);
      expect(created.status).toBe(201);
      ids.push((created.body as Task).id);
    }
  });

  it('prefixes them with a quote on stdout and in the file, and leaves every other cell as it was', async () => {
    const file = join(dir, 'formulas.csv');
    const [stdout, written] = await Promise.all([
      box.run(['task', 'export', '--format', 'csv']),
      box.run(['task', 'export', '--format', 'csv', '--output', file]),
    ]);
    expectClean(stdout);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toBe(`✓ Exported 2505 tasks to ${file}\n`);
    expect(await readFile(file, 'utf8')).toBe(stdout.stdout);
    expect(existsSync(`${file}.partial`)).toBe(false);

    const [header, ...rows] = parseCsv(stdout.stdout);
    expect(header).toEqual(fields);
    expect(rows).toHaveLength(2505);
    const cells = ids.map((id) => rows.find((row) => row[0] === id));
    expect(cells.map((row) => ({ title: row?.[1], description: row?.[2], tags: row?.[8] }))).toEqual(want);
    expect(cells[0]?.[1]).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(cells[1]?.[1]).toBe(`'@SUM(1+1)`);
  });
});
