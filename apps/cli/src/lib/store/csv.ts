// The CSV format of the mirror (tasks.csv, projects.csv, sprints.csv): three `###` lines (what
// it is, when the store was last in step with the API, how many records), then an RFC 4180
// table: a header row of the resource's fields and one row per record, by id. Tags are joined
// with ';', a null is an empty cell, and a cell a spreadsheet would run as a formula gets a
// leading `'` (see csv-safe.ts). The same format was the whole local copy before the store;
// parseCsv reads such files for the import of an older data dir.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Project, Sprint, Task } from '@dtm/sdk';
import { type Exactly, taskFields } from '../contract.js';
import { projectFields, sprintFields } from '../contract-extra.js';
import { neutralizeFormula } from '../csv-safe.js';
import type { Kind, RecordOf } from './records.js';

/** The first line of every file of the mirror. */
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

function writeCell(value: unknown, cell: Cell): string {
  if (value === null || value === undefined) return '';
  if (cell === 'tags') return neutralizeFormula((value as string[]).join(';'));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return neutralizeFormula(typeof value === 'string' ? value : JSON.stringify(value));
}

/** The three `###` lines and the header row. */
export function csvHeader(kind: Kind, count: number, lastSync: string): string {
  const lines = [artifactLine, `### Last Sync: ${lastSync}`, `### Source: DTM API (${count} records)`].join('\n');
  return `${lines}\n${stringify([columns[kind].map(([field]) => field)], { record_delimiter: '\n' })}`;
}

/** Rows of records, as the mirror holds them. */
export function csvRows<K extends Kind>(kind: K, records: readonly RecordOf<K>[]): string {
  const cells = columns[kind];
  const rows = records.map((record) => {
    const values = record as unknown as Record<string, unknown>;
    return cells.map(([field, cell]) => writeCell(values[field], cell));
  });
  return rows.length === 0 ? '' : stringify(rows, { record_delimiter: '\n' });
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

export interface ParsedCsv<K extends Kind> {
  records: RecordOf<K>[];
  lastSync: string;
  /** Rows that could not be read (1-based line numbers of the table, after the ### lines). */
  unreadable: number[];
}

/**
 * Reads a file in this format. A row that cannot be read is listed, not fatal: one damaged row
 * must not make the others unreadable.
 */
export function parseCsv<K extends Kind>(kind: K, text: string, file = `${kind}.csv`): ParsedCsv<K> {
  const lines = text.split('\n', 3);
  const syncMatch = /^### Last Sync: (.+)$/.exec(lines[1] ?? '');
  if (lines[0] !== artifactLine || !syncMatch?.[1] || !/^### Source: DTM API \(\d+ records\)$/.test(lines[2] ?? '')) {
    throw new Error(`${file} does not start with the mirror's ### header lines`);
  }
  const rest = text.slice(lines.slice(0, 3).join('\n').length + 1);
  const rows: string[][] = parse(rest, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  const [header, ...body] = rows;
  const cells = columns[kind];
  if (header?.join(',') !== cells.map(([field]) => field).join(',')) throw new Error(`${file} has the columns ${String(header)}, not those of ${kind}`);
  const records: RecordOf<K>[] = [];
  const unreadable: number[] = [];
  body.forEach((row, index) => {
    try {
      if (row.length !== cells.length) throw new Error('wrong number of cells');
      const record: Record<string, unknown> = {};
      cells.forEach(([field, cell], column) => {
        record[field] = readCell(row[column] ?? '', cell, field, file);
      });
      records.push(record as unknown as RecordOf<K>);
    } catch {
      unreadable.push(index + 2);
    }
  });
  return { records, lastSync: syncMatch[1], unreadable };
}
