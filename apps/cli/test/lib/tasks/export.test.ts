import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '@dtm/sdk';
import { CliError } from '../../../src/lib/errors.js';
import {
  CsvRecordCounter,
  PartialExportError,
  formatFromPath,
  serializeTasks,
  writeFileFromStream,
} from '../../../src/lib/tasks/export.js';
import { makeTask } from '../../fixtures.js';

describe('formatFromPath', () => {
  it.each([
    ['tasks.json', 'json'],
    ['out/TASKS.JSON', 'json'],
    ['tasks.ndjson', 'ndjson'],
    ['tasks.jsonl', 'ndjson'],
    ['tasks.csv', 'csv'],
    ['tasks.txt', undefined],
    ['tasks', undefined],
  ])('%s → %s', (file, want) => {
    expect(formatFromPath(file)).toBe(want);
  });
});

describe('CsvRecordCounter', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  it.each([
    { name: 'only a header', chunks: ['id,title\n'], want: 0 },
    { name: 'nothing at all', chunks: [], want: 0 },
    { name: 'two rows', chunks: ['id,title\n1,a\n2,b\n'], want: 2 },
    { name: 'no final newline', chunks: ['id,title\n1,a\n2,b'], want: 2 },
    { name: 'a newline inside quotes', chunks: ['id,title\n1,"a\nb"\n2,c\n'], want: 2 },
    { name: 'escaped quotes', chunks: ['id,title\n1,"say ""hi""\nthere"\n'], want: 1 },
    { name: 'split across chunks inside quotes', chunks: ['id,title\n1,"a', '\n', 'b"\n2,', 'c\n'], want: 2 },
    { name: 'CRLF rows', chunks: ['id,title\r\n1,a\r\n2,b\r\n'], want: 2 },
    { name: 'multi-byte text', chunks: ['id,title\n1,"Grüße, “quoted”\n✓"\n'], want: 1 },
  ])('$name → $want', ({ chunks, want }) => {
    const counter = new CsvRecordCounter();
    for (const chunk of chunks) counter.push(bytes(chunk));
    expect(counter.end()).toBe(want);
  });
});

const task = (id: number): Task =>
  makeTask(`TASK-${String(id).padStart(6, '0')}`, {
    title: `Task ${id}, "quoted"\nline`,
    created_at: '2026-11-01T00:00:00Z',
    updated_at: '2026-11-01T00:00:00Z',
  });

async function* tasks(count: number): AsyncGenerator<Task> {
  for (let id = 1; id <= count; id++) {
    await Promise.resolve();
    yield task(id);
  }
}

async function collect(source: AsyncIterable<string>): Promise<{ text: string; chunks: number }> {
  let text = '';
  let chunks = 0;
  for await (const chunk of source) {
    text += chunk;
    chunks++;
  }
  return { text, chunks };
}

describe('serializeTasks', () => {
  it.each([0, 1, 3, 2000])('json: %i tasks make one valid array, in order', async (count) => {
    const counts: number[] = [];
    const { text } = await collect(serializeTasks(tasks(count), 'json', (n) => counts.push(n)));
    const parsed = JSON.parse(text) as Task[];
    expect(parsed.map((item) => item.id)).toEqual(Array.from({ length: count }, (_, index) => task(index + 1).id));
    expect(counts.at(-1) ?? 0).toBe(count);
    expect(text.endsWith('\n')).toBe(true);
  });

  it.each([0, 1, 3, 2000])('ndjson: %i tasks make one line each', async (count) => {
    const { text } = await collect(serializeTasks(tasks(count), 'ndjson'));
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(count);
    expect(lines.map((line) => (JSON.parse(line) as Task).id)).toEqual(Array.from({ length: count }, (_, index) => task(index + 1).id));
  });

  it('hands on the text of the tasks received before a failure, then the failure', async () => {
    async function* failing(): AsyncGenerator<Task> {
      yield* tasks(3);
      throw new Error('stalled');
    }
    let text = '';
    const error = await (async () => {
      for await (const chunk of serializeTasks(failing(), 'json')) text += chunk;
    })().catch((caught: unknown) => caught);
    expect(error).toEqual(new Error('stalled'));
    expect(text.split('\n').slice(1).map((line) => (JSON.parse(line.replace(/,$/, '')) as Task).id)).toEqual(
      [1, 2, 3].map((id) => task(id).id),
    );
  });

  it('hands the text on in bounded chunks, not all at once', async () => {
    const { chunks } = await collect(serializeTasks(tasks(2000), 'ndjson'));
    expect(chunks).toBeGreaterThan(5);
  });
});

describe('writeFileFromStream', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dtm-export-unit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the whole file and leaves no partial', async () => {
    const file = join(dir, 'ok.ndjson');
    await writeFileFromStream(file, { source: serializeTasks(tasks(10), 'ndjson'), transforms: [] });
    expect((await readFile(file, 'utf8')).trimEnd().split('\n')).toHaveLength(10);
    expect(await readdir(dir)).toEqual(['ok.ndjson']);
  });

  it('keeps the old file, and what arrived in the partial, when the source fails midway', async () => {
    const file = join(dir, 'keep.ndjson');
    await writeFile(file, 'old content\n');
    async function* failing(): AsyncGenerator<Task> {
      yield task(1);
      yield task(2);
      await Promise.resolve();
      throw new Error('connection dropped');
    }
    const error = await writeFileFromStream(file, { source: serializeTasks(failing(), 'ndjson'), transforms: [] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PartialExportError);
    expect(error).toMatchObject({ partial: `${file}.partial`, cause: new Error('connection dropped') });
    expect(await readFile(file, 'utf8')).toBe('old content\n');
    const kept = (await readFile(`${file}.partial`, 'utf8')).trimEnd().split('\n');
    expect(kept.map((line) => (JSON.parse(line) as Task).id)).toEqual([task(1).id, task(2).id]);
  });

  it('leaves no partial when the source fails before anything arrived', async () => {
    const file = join(dir, 'nothing.ndjson');
    const refused: AsyncIterable<Task> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('connection refused')) }),
    };
    await expect(writeFileFromStream(file, { source: serializeTasks(refused, 'ndjson'), transforms: [] })).rejects.toThrow(
      'connection refused',
    );
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('says so when the folder does not exist', async () => {
    const file = join(dir, 'missing', 'x.csv');
    const error = await writeFileFromStream(file, { source: serializeTasks(tasks(1), 'ndjson'), transforms: [] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(`Cannot write ${file}: its folder does not exist.`);
  });
});
