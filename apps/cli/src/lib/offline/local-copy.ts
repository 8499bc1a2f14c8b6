// The local copy of the API's data: tasks.csv, projects.csv and sprints.csv in the data dir,
// refreshed after every successful API call and read when the API is unreachable.
//
// Each file starts with three `###` lines (what it is, when it was last written, how many
// records), then an RFC 4180 CSV table: a header row of the resource's fields and one row per
// record, sorted by id. Tags are joined with ';'. A null is an empty cell; for fields that may
// be null, an empty string also reads back as null (the two are not told apart). Numbers
// (version, estimate_hours) read back as numbers.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Project, Sprint, Task } from '@dtm/sdk';
import { type Exactly, taskFields } from '../contract.js';
import { projectFields, sprintFields } from '../contract-extra.js';
import { writeFileAtomically } from '../files.js';
import { dataDir } from '../paths.js';

export type Kind = 'tasks' | 'projects' | 'sprints';
export interface Records {
  tasks: Task;
  projects: Project;
  sprints: Sprint;
}
export type RecordOf<K extends Kind> = Records[K];

export const kinds: readonly Kind[] = ['tasks', 'projects', 'sprints'];

/** The first line of every file of the local copy. */
export const artifactLine = '### EXPORT_ARTIFACT: DO NOT EDIT - Generated from DTM API';

/** How a cell is written and read back. */
type Cell = 'text' | 'nullable' | 'integer' | 'nullable-number' | 'tags';

// The fields that may be null; the checks fail the typecheck when they drift from openapi.yaml.
const nullableTask = ['description', 'project_id', 'sprint_id', 'assignee', 'due_date', 'estimate_hours', 'completed_at', 'completion_notes'] as const;
const nullableProject = ['description', 'owner'] as const;
const nullableSprint = ['goal', 'started_at', 'completed_at'] as const;
type NullableKeys<T> = Extract<{ [K in keyof T]-?: null extends T[K] ? K : never }[keyof T], string>;
export const nullableChecks: [
  Exactly<typeof nullableTask, NullableKeys<Task>>,
  Exactly<typeof nullableProject, NullableKeys<Project>>,
  Exactly<typeof nullableSprint, NullableKeys<Sprint>>,
] = [nullableTask, nullableProject, nullableSprint];

function cellsOf(fields: readonly string[], nullable: readonly string[], special: Record<string, Cell>): [string, Cell][] {
  return fields.map((field) => [field, special[field] ?? (nullable.includes(field) ? 'nullable' : 'text')]);
}

const columns: Record<Kind, [string, Cell][]> = {
  tasks: cellsOf(taskFields, nullableTask, { tags: 'tags', estimate_hours: 'nullable-number', version: 'integer' }),
  projects: cellsOf(projectFields, nullableProject, { version: 'integer' }),
  sprints: cellsOf(sprintFields, nullableSprint, { version: 'integer' }),
};

export interface Collection<K extends Kind> {
  records: RecordOf<K>[];
  /** When the file was last written (RFC 3339). */
  lastSync: string;
}

export interface LocalCopyOptions {
  /** The data dir (default: DTM_DATA_DIR or the OS's data dir). */
  dir?: string;
  /** The time written as "Last Sync" (default: now). */
  now?: () => Date;
}

export function fileOf(kind: Kind, dir: string = dataDir()): string {
  return join(dir, `${kind}.csv`);
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The text of a file of the local copy. */
export function serialize<K extends Kind>(kind: K, records: readonly RecordOf<K>[], lastSync: Date): string {
  const cells = columns[kind];
  const rows = [...records].sort(byId).map((record) => {
    const values = record as unknown as Record<string, unknown>;
    return cells.map(([field, cell]) => writeCell(values[field], cell));
  });
  const header = [artifactLine, `### Last Sync: ${lastSync.toISOString()}`, `### Source: DTM API (${records.length} records)`].join('\n');
  const table = stringify([cells.map(([field]) => field), ...rows], { record_delimiter: '\n' });
  return `${header}\n${table}`;
}

function writeCell(value: unknown, cell: Cell): string {
  if (value === null || value === undefined) return '';
  if (cell === 'tags') return (value as string[]).join(';');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function readCell(value: string, cell: Cell, field: string, file: string): unknown {
  switch (cell) {
    case 'text':
      return value;
    case 'nullable':
      return value === '' ? null : value;
    case 'tags':
      return value === '' ? [] : value.split(';');
    case 'integer':
    case 'nullable-number': {
      if (value === '' && cell === 'nullable-number') return null;
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`${file}: ${field} is not a number: "${value}"`);
      return number;
    }
  }
}

/** Parses the text of a file of the local copy (the inverse of serialize). */
export function deserialize<K extends Kind>(kind: K, text: string, file = `${kind}.csv`): Collection<K> {
  const lines: string[] = [];
  let rest = text;
  for (let index = 0; index < 3; index++) {
    const end = rest.indexOf('\n');
    if (end < 0) throw new Error(`${file} is cut short: it lacks its three ### header lines`);
    lines.push(rest.slice(0, end));
    rest = rest.slice(end + 1);
  }
  const [artifact = '', sync = '', source = ''] = lines;
  const syncMatch = /^### Last Sync: (.+)$/.exec(sync);
  const sourceMatch = /^### Source: DTM API \((\d+) records\)$/.exec(source);
  if (artifact !== artifactLine || !syncMatch?.[1] || !sourceMatch?.[1]) throw new Error(`${file} does not start with the local copy's ### header lines`);
  const rows: string[][] = parse(rest, { relax_column_count: false, skip_empty_lines: false });
  const [header, ...body] = rows;
  const cells = columns[kind];
  const expected = cells.map(([field]) => field);
  if (header?.join(',') !== expected.join(',')) throw new Error(`${file} has the columns ${String(header)}, not ${expected.join(',')}`);
  const records = body.map((row) => {
    const record: Record<string, unknown> = {};
    cells.forEach(([field, cell], index) => {
      record[field] = readCell(row[index] ?? '', cell, field, file);
    });
    return record as unknown as RecordOf<K>;
  });
  if (records.length !== Number(sourceMatch[1])) throw new Error(`${file} says ${sourceMatch[1]} records but holds ${records.length}`);
  return { records, lastSync: syncMatch[1] };
}

/** The records of one kind, sorted by id, or undefined when nothing was synced yet. */
export async function readCollection<K extends Kind>(kind: K, options: LocalCopyOptions = {}): Promise<Collection<K> | undefined> {
  return (await readWithText(kind, options))?.collection;
}

async function readWithText<K extends Kind>(kind: K, options: LocalCopyOptions): Promise<{ collection: Collection<K>; text: string } | undefined> {
  const file = fileOf(kind, options.dir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { collection: deserialize(kind, text, file), text };
}

async function write<K extends Kind>(kind: K, records: readonly RecordOf<K>[], options: LocalCopyOptions): Promise<void> {
  const dir = options.dir ?? dataDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomically(fileOf(kind, dir), serialize(kind, records, (options.now ?? (() => new Date()))()));
}

/** Replaces the whole collection, e.g. after listing every record. */
export async function replaceAll<K extends Kind>(kind: K, records: readonly RecordOf<K>[], options: LocalCopyOptions = {}): Promise<void> {
  await write(kind, records, options);
}

/**
 * Adds these records, or replaces the ones with the same id. When the file already holds them
 * all as they are, only its Last Sync line changes (no re-serialising of a large copy).
 */
export async function upsert<K extends Kind>(kind: K, records: readonly RecordOf<K>[], options: LocalCopyOptions = {}): Promise<void> {
  const current = await readWithText(kind, options);
  const merged = new Map((current?.collection.records ?? []).map((record) => [record.id, record]));
  let changed = current === undefined;
  for (const record of records) {
    const known = merged.get(record.id);
    // Compared as the file would hold them (the CSV does not tell an empty string from null).
    if (known === undefined || serialize(kind, [known], epoch) !== serialize(kind, [record], epoch)) changed = true;
    merged.set(record.id, record);
  }
  if (changed || current === undefined) {
    await write(kind, [...merged.values()], options);
    return;
  }
  const lines = current.text.split('\n', 2);
  const rest = current.text.slice((lines[0]?.length ?? 0) + (lines[1]?.length ?? 0) + 2);
  const synced = (options.now ?? (() => new Date()))().toISOString();
  await writeFileAtomically(fileOf(kind, options.dir), `${lines[0] ?? ''}\n### Last Sync: ${synced}\n${rest}`);
}

const epoch = new Date(0);

/** Drops the records with these ids (unknown ids are ignored). */
export async function remove(kind: Kind, ids: readonly string[], options: LocalCopyOptions = {}): Promise<void> {
  const current = await readCollection(kind, options);
  if (current === undefined) return;
  const gone = new Set(ids);
  await write(
    kind,
    current.records.filter((record) => !gone.has(record.id)),
    options,
  );
}

/** Deletes every file of the local copy (when it belongs to another API). */
export async function clearAll(options: LocalCopyOptions = {}): Promise<void> {
  await Promise.all(kinds.map((kind) => rm(fileOf(kind, options.dir), { force: true })));
}

interface Manifest {
  api_url: string;
}

function manifestFile(dir: string = dataDir()): string {
  return join(dir, 'local-copy.json');
}

/** The API whose data the local copy holds, or undefined when there is none. */
export async function ownerOf(options: LocalCopyOptions = {}): Promise<string | undefined> {
  try {
    const manifest = JSON.parse(await readFile(manifestFile(options.dir), 'utf8')) as Partial<Manifest>;
    return typeof manifest.api_url === 'string' ? manifest.api_url : undefined;
  } catch {
    return undefined;
  }
}

/** Makes the local copy that of this API: a copy of another API's data is deleted first. */
export async function claimFor(apiUrl: string, options: LocalCopyOptions = {}): Promise<void> {
  if ((await ownerOf(options)) === apiUrl) return;
  const dir = options.dir ?? dataDir();
  await clearAll({ dir });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomically(manifestFile(dir), `${JSON.stringify({ api_url: apiUrl } satisfies Manifest)}\n`);
}
