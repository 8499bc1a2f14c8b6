import { createWriteStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
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
 * called with the running count after each task. When `tasks` fails, the text of the tasks
 * received so far is handed on before the error (a json array is then left open).
 */
export async function* serializeTasks(
  tasks: AsyncIterable<Task>,
  format: 'json' | 'ndjson',
  onRecord: (count: number) => void = () => undefined,
): AsyncGenerator<string, void, undefined> {
  let count = 0;
  let buffer = '';
  try {
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
  } catch (error) {
    if (buffer !== '') yield buffer;
    throw error;
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

/** What an export writes: its source (text or bytes as they arrive), then any transforms, in pipeline order. */
export interface Stages {
  readonly source: AsyncIterable<string | Uint8Array>;
  readonly transforms: readonly NodeJS.ReadWriteStream[];
}

/** The export stopped early (the server, a stall, a signal): what arrived is kept in `partial`. */
export class PartialExportError extends Error {
  constructor(
    readonly partial: string,
    cause: unknown,
  ) {
    super(`The export stopped early; what arrived is in ${partial}`, { cause });
    this.name = 'PartialExportError';
  }
}

/**
 * Runs the stages into `destination`. A failure of the source ends the pipeline as its end
 * would, so everything that arrived before it is written out, and is then returned; a
 * failure of a transform or of the destination rejects.
 */
async function pump(
  stages: Stages,
  destination: NodeJS.WritableStream,
  options: { end?: boolean; signal?: AbortSignal } = {},
): Promise<{ error: unknown } | undefined> {
  let failure: { error: unknown } | undefined;
  async function* untilFailure(): AsyncGenerator<string | Uint8Array, void, undefined> {
    try {
      yield* stages.source;
    } catch (error) {
      failure = { error };
    }
  }
  await pipeline([Readable.from(untilFailure()), ...stages.transforms, destination], options);
  return failure;
}

/**
 * Writes an export to `file` through `file.partial`, renamed over `file` once complete and
 * on disk: `file` is the old file or the whole new one, never half of one. When the source
 * fails (the server, a stall, the caller's signal), what arrived is kept in `file.partial`
 * (PartialExportError, its cause the failure), or the failure is thrown as it is when nothing
 * did. When the file cannot be written, `file.partial` is removed.
 */
export async function writeFileFromStream(file: string, stages: Stages): Promise<void> {
  const partial = partialPath(file);
  let failure: { error: unknown } | undefined;
  try {
    failure = await pump(stages, createWriteStream(partial, { flags: 'w' }));
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!failure) await rename(partial, file);
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
  if (!failure) return;
  if ((await stat(partial)).size > 0) throw new PartialExportError(partial, failure.error);
  await unlink(partial);
  throw failure.error;
}

/**
 * Writes an export to stdout, leaving stdout open; a reader that goes away (`| head`) ends
 * it quietly. When the source fails, what arrived is written out before the failure is
 * thrown; `signal` stops at once, also a write to a reader that does not read.
 */
export async function writeToStdout(stages: Stages, signal?: AbortSignal): Promise<void> {
  const ignoreBrokenPipe = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
  };
  process.stdout.on('error', ignoreBrokenPipe);
  let failure: { error: unknown } | undefined;
  try {
    failure = await pump(stages, process.stdout, { end: false, ...(signal ? { signal } : {}) });
    await drained(process.stdout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
  if (failure) throw failure.error;
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
