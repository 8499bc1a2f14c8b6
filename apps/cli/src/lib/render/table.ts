import Table from 'cli-table3';
import type { Colors } from './style.js';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
}

const borderless = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/**
 * Rows as aligned columns with a header on a terminal (like `gh`), or as tab-separated
 * lines without a header when piped, so `cut -f1` and `awk` work.
 */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], colors: Colors, tty: boolean): string {
  if (!tty) {
    return rows.map((row) => columns.map((column) => column.value(row).replace(/[\t\n]/g, ' ')).join('\t')).join('\n');
  }
  const output = new Table({
    head: columns.map((column) => colors.bold(column.header.toUpperCase())),
    chars: borderless,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  for (const row of rows) output.push(columns.map((column) => column.value(row).replace(/\n/g, ' ')));
  return output.toString();
}

/** `key: value` lines, for one resource. */
export function details(pairs: readonly [string, string][], colors: Colors): string {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${colors.dim(key.padEnd(width))}  ${value}`).join('\n');
}
