// exportTasks over 10,000 seeded tasks: NDJSON equals the listTasks pages, CSV is RFC 4180.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/engines/stateful/types.js';
import { type Api, Clock, type RunningMockServer, allTaskPages, apiAs, fieldsOf, start } from './harness.js';

const clock = new Clock('2026-03-02T09:00:00.000Z');
const trickyTitle = 'Say "hello", then\nwrite, "quote" and ""double"" quotes';
let server: RunningMockServer;
let api: Api;
let tricky: Task;

beforeAll(async () => {
  server = await start({ tasks: 10_000, seed: 7, now: clock.now });
  api = await apiAs(server, 'admin');
  clock.advance(60);
  tricky = await api.createTask({
    title: trickyTitle,
    description: 'Line one\r\nLine two, with a comma',
    tags: ['csv', 'edge'],
    estimate_hours: 2.5,
    project_id: 'PRJ-002',
  });
});

afterAll(async () => {
  await server.stop();
});

const columns = [
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

/** A strict RFC 4180 parser: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (quoted) {
      if (char !== '"') field += char;
      else if (text.charAt(index + 1) === '"') {
        field += '"';
        index++;
      } else {
        quoted = false;
        wasQuoted = true;
      }
      continue;
    }
    if (char === ',' || char === '\n' || (char === '\r' && text.charAt(index + 1) === '\n')) {
      row.push(field);
      field = '';
      wasQuoted = false;
      if (char === '\r') index++;
      if (char !== ',') {
        rows.push(row);
        row = [];
      }
      continue;
    }
    if (wasQuoted) throw new Error(`text after a closing quote at ${index}`);
    if (char === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${index}`);
      quoted = true;
      continue;
    }
    if (char === '\r') throw new Error(`a bare CR outside quotes at ${index}`);
    field += char;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** What the contract says a task's CSV row is: tags joined with `;`, empty cells for null. */
function csvRow(task: Task): string[] {
  return columns.map((column) => {
    const value = task[column];
    if (value === null) return '';
    if (Array.isArray(value)) return value.join(';');
    return String(value);
  });
}

async function exportText(query: Record<string, string>): Promise<{ contentType: string | null; text: string }> {
  const url = new URL('/api/v1/tasks/export', server.url);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const response = await fetch(url, { headers: { authorization: `Bearer ${api.token ?? ''}` } });
  expect(response.status).toBe(200);
  return { contentType: response.headers.get('content-type'), text: await response.text() };
}

function ndjsonLines(text: string): string[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('the parser of this test', () => {
  it('reads quoted fields and rejects broken quoting', () => {
    expect(parseCsv('a,"b,c","d ""e""\nf"\r\n,x\n')).toEqual([
      ['a', 'b,c', 'd "e"\nf'],
      ['', 'x'],
    ]);
    expect(() => parseCsv('a"b\n')).toThrow();
    expect(() => parseCsv('"a"b\n')).toThrow();
    expect(() => parseCsv('"a\n')).toThrow();
  });
});

describe('NDJSON export', () => {
  it('holds every task, one JSON object per line, as application/x-ndjson', async () => {
    const { contentType, text } = await exportText({});
    expect(contentType).toMatch(/^application\/x-ndjson/);
    const lines = ndjsonLines(text);
    expect(lines).toHaveLength(10_001);
    expect(server.taskCount()).toBe(10_001);
    const tasks = lines.map((line) => JSON.parse(line) as Task);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(10_001);
    expect(tasks.at(-1)).toEqual(tricky);
  });

  it.each<Record<string, string>>([
    {},
    { sort: '-updated_at' },
    { status: 'pending,blocked', priority: 'high,critical', sort: '-due_date' },
    { project_id: 'PRJ-002', sort: 'due_date' },
    { q: 'review', sort: 'title' },
    { assignee: 'alice', status: 'completed', sort: '-priority' },
    { sprint_id: 'SPR-002', sort: 'status' },
    { updated_since: '2026-02-20T00:00:00Z', sort: 'created_at' },
  ])('equals the concatenated listTasks pages (limit 1000) for %o', async (query) => {
    const pages = await allTaskPages(api, query, 1000);
    // Every query of this table matches something, and the filtered ones not everything.
    expect(pages.length).toBeGreaterThan(0);
    if (Object.keys(query).some((name) => name !== 'sort')) expect(pages.length).toBeLessThan(10_001);
    const { text } = await exportText(query);
    const lines = ndjsonLines(text);
    expect(lines.length).toBe(pages.length);
    // Byte for byte, line by line: the same tasks, the same order, the same fields.
    expect(lines).toEqual(pages.map((task) => JSON.stringify(task)));
  });

  it('is empty when nothing matches', async () => {
    const { contentType, text } = await exportText({ q: 'nothing matches this text' });
    expect(contentType).toMatch(/^application\/x-ndjson/);
    expect(text).toBe('');
  });
});

describe('CSV export', () => {
  let rows: string[][];
  let ndjson: Task[];

  beforeAll(async () => {
    const csv = await exportText({ format: 'csv' });
    expect(csv.contentType).toMatch(/^text\/csv/);
    rows = parseCsv(csv.text);
    ndjson = ndjsonLines((await exportText({})).text).map((line) => JSON.parse(line) as Task);
  });

  it('starts with the header row naming the Task fields', () => {
    expect(rows[0]).toEqual([...columns]);
  });

  it('has the same ids in the same order as the NDJSON export, and every cell as the contract says', () => {
    const body = rows.slice(1);
    expect(body.map((row) => row[0])).toEqual(ndjson.map((task) => task.id));
    expect(body).toEqual(ndjson.map(csvRow));
  });

  it('round-trips a title with a comma, quotes and a line break', () => {
    const row = rows.find((candidate) => candidate[0] === tricky.id);
    expect(row).toBeDefined();
    const cells = Object.fromEntries(columns.map((column, index) => [column, row?.[index]]));
    expect(cells).toMatchObject({
      title: trickyTitle,
      description: 'Line one\r\nLine two, with a comma',
      tags: 'csv;edge',
      estimate_hours: '2.5',
      sprint_id: '',
      due_date: '',
      completed_at: '',
      version: '1',
    });
  });

  it('applies filters and sort like NDJSON', async () => {
    const query = { status: 'in_progress', sort: '-priority', project_id: 'PRJ-001' };
    const csv = parseCsv((await exportText({ ...query, format: 'csv' })).text);
    const lines = ndjsonLines((await exportText(query)).text);
    expect(lines.length).toBeGreaterThan(0);
    expect(csv.slice(1).map((row) => row[0])).toEqual(lines.map((line) => (JSON.parse(line) as Task).id));
  });

  it('is only the header row when nothing matches', async () => {
    const csv = await exportText({ format: 'csv', q: 'nothing matches this text' });
    expect(parseCsv(csv.text)).toEqual([[...columns]]);
  });
});

describe('export parameters', () => {
  it('answers 422 to an unknown format, pagination parameters and unknown parameters', async () => {
    expect(fieldsOf(await api.get('/api/v1/tasks/export', { query: { format: 'xml' } }))).toEqual(['format']);
    expect(fieldsOf(await api.get('/api/v1/tasks/export', { query: { limit: 10 } }))).toEqual(['limit']);
    expect(fieldsOf(await api.get('/api/v1/tasks/export', { query: { status: 'done' } }))).toHaveLength(1);
  });
});
