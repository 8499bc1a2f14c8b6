import { createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { extname } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Task } from '@dtm/sdk';
import { CliError } from '../errors.js';

export const exportFormats = ['json', 'ndjson', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The format a file name implies: .json, .ndjson or .jsonl, .csv; undefined for anything else. */
export function formatFromPath(file: string): ExportFormat | undefined {
  switch (extname(file).toLowerCase()) {
    case '.json':
      return 'json';
    case '.ndjson':
    case '.jsonl':
      return 'ndjson';
    case '.csv':
      return 'csv';
    default:
      return undefined;
  }
}

/** Text is handed on in chunks of about this size, not one write per task. */
const chunkBytes = 64 * 1024;

/**
 * The tasks as text in `format` (json: one array, one task per line; ndjson: one task per
 * line), produced as the tasks arrive: only the current chunk is in memory. `onRecord` is
 * called with the running count after each task.
 */
export async function* serializeTasks(
  tasks: AsyncIterable<Task>,
  format: 'json' | 'ndjson',
  onRecord: (count: number) => void = () => undefined,
): AsyncGenerator<string, void, undefined> {
  let count = 0;
  let buffer = '';
  for await (const task of tasks) {
    const line = JSON.stringify(task);
    if (format === 'ndjson') buffer += `${line}\n`;
    else buffer += `${count === 0 ? '[\n' : ',\n'}${line}`;
    count++;
    onRecord(count);
    if (buffer.length >= chunkBytes) {
      yield buffer;
      buffer = '';
    }
  }
  if (format === 'json') buffer += count === 0 ? '[]\n' : '\n]\n';
  if (buffer !== '') yield buffer;
}

const quote = 0x22;
const newline = 0x0a;

/**
 * Counts the records of a CSV stream (RFC 4180) chunk by chunk, without parsing it: a
 * newline ends a record unless it is inside quotes. The header row is not counted. Bytes
 * are enough: neither `"` nor `\n` occurs inside a multi-byte UTF-8 character.
 */
export class CsvRecordCounter {
  #quoted = false;
  #rows = 0;
  /** True when bytes follow the last row end (a last row without a final newline). */
  #open = false;

  /** Reads more bytes; returns the records complete so far. */
  push(chunk: Uint8Array): number {
    for (const byte of chunk) {
      if (byte === quote) this.#quoted = !this.#quoted;
      if (byte === newline && !this.#quoted) {
        this.#rows++;
        this.#open = false;
      } else {
        this.#open = true;
      }
    }
    return this.records;
  }

  /** Records complete so far (rows after the header). */
  get records(): number {
    return Math.max(0, this.#rows - 1);
  }

  /** Records at the end of the stream, counting a last row without a newline. */
  end(): number {
    if (this.#open) {
      this.#rows++;
      this.#open = false;
    }
    return this.records;
  }
}

/** A pass-through stream that counts CSV records on their way, calling `onRecords` as the count grows. */
export function csvCounting(onRecords: (count: number) => void): { stream: Transform; count: () => number } {
  const counter = new CsvRecordCounter();
  let last = 0;
  const report = (count: number): void => {
    if (count !== last) onRecords((last = count));
  };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      report(counter.push(chunk));
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      report(counter.end());
      callback();
    },
  });
  return { stream, count: () => last };
}

/** The name a file is written under until it is complete. */
export function partialPath(file: string): string {
  return `${file}.partial`;
}

/** A source stream, then any transforms, in pipeline order. */
export type Stages = readonly [NodeJS.ReadableStream, ...NodeJS.ReadWriteStream[]];

/**
 * Writes a stream to `file` through `file.partial`, renamed over `file` once complete and
 * on disk: `file` is the old file or the whole new one, never half of one. On any failure
 * (or `signal` aborting) the partial file is removed.
 */
export async function writeFileFromStream(file: string, stages: Stages, signal?: AbortSignal): Promise<void> {
  const partial = partialPath(file);
  try {
    await pipeline([...stages, createWriteStream(partial, { flags: 'w' })], { signal });
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const path = (error as NodeJS.ErrnoException).path;
    if (path === partial || path === file) {
      throw new CliError(`Cannot write ${file}: ${code === 'ENOENT' ? 'its folder does not exist' : (error as Error).message}.`, {
        hint: 'Pick a file in a folder you can write to.',
        code: 'io',
        cause: error,
      });
    }
    throw error;
  }
}

/** Writes a stream to stdout, leaving stdout open; a reader that goes away (`| head`) ends it quietly. */
export async function writeToStdout(stages: Stages, signal?: AbortSignal): Promise<void> {
  const ignoreBrokenPipe = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
  };
  process.stdout.on('error', ignoreBrokenPipe);
  try {
    await pipeline([...stages, process.stdout], { end: false, signal });
    await drained(process.stdout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
}

/**
 * Resolves once everything written to `stream` so far has been handed to the OS. A pipe or
 * socket on stdout is written asynchronously, and `write()` returns true while up to 16 KB
 * are still queued, so a process that exits right after the pipeline could lose the tail.
 */
export function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write('', (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
