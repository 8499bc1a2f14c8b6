import Table from 'cli-table3';
import type { Colors } from './style.js';
import { terminalSize } from './terminal.js';
import { displayWidth, truncateToWidth } from './width.js';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** On a terminal, the widest the column gets (a longer cell ends in `…`); piped output keeps it all. */
  max?: number;
  /**
   * The column may be cut to fit the terminal's width: 1 is cut first (down to `min`), then
   * 2, and so on. Columns without it (ids, states, dates) are never cut.
   */
  shrink?: number;
  /** The narrowest a shrinking column gets (default 10, never narrower than its header). */
  min?: number;
  /**
   * The column is left out of a terminal too narrow for all columns at their narrowest:
   * 1 first, then 2, and so on (piped output and `--json` always have it).
   */
  hide?: number;
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

const gap = borderless.middle.length;

type Fitted = Pick<Column<unknown>, 'header' | 'shrink' | 'min' | 'hide'>;

/** The columns with the given option, in its order (1 first). */
function inOrder(columns: readonly Fitted[], key: 'shrink' | 'hide'): number[] {
  return columns
    .map((column, index) => ({ rank: column[key], index }))
    .filter((entry): entry is { rank: number; index: number } => entry.rank !== undefined)
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => entry.index);
}

/**
 * The width of each column so that a row fits `limit` columns, or undefined for a column
 * left out. Each column starts as wide as its widest cell (at most its `max`). When even the
 * shrinking columns at their narrowest would not fit, the hiding columns are left out in
 * their order; then the shrinking columns are cut in theirs, each down to its minimum,
 * until the row fits. When even that is too wide the row stays so: ids are never cut.
 */
export function fitColumns(natural: readonly number[], columns: readonly Fitted[], limit: number | undefined): (number | undefined)[] {
  const widths: (number | undefined)[] = [...natural];
  if (limit === undefined) return widths;
  const floors = natural.map((width, index) => {
    const column = columns[index];
    if (column?.shrink === undefined) return width;
    return Math.min(width, Math.max(column.min ?? 10, displayWidth(column.header)));
  });
  const total = (of: readonly number[]): number => {
    const shown = of.filter((_, index) => widths[index] !== undefined);
    return shown.reduce((sum, width) => sum + width, 0) + gap * Math.max(0, shown.length - 1);
  };
  for (const index of inOrder(columns, 'hide')) {
    if (total(floors) <= limit) break;
    widths[index] = undefined;
  }
  let excess = total(natural) - limit;
  for (const index of inOrder(columns, 'shrink')) {
    const width = widths[index];
    if (excess <= 0) break;
    if (width === undefined) continue;
    const cut = Math.min(excess, width - (floors[index] ?? width));
    widths[index] = width - cut;
    excess -= cut;
  }
  return widths;
}

/**
 * Rows as aligned columns with a header on a terminal (like `gh`), fitted to its width
 * (`width`, by default the terminal's; no limit when it is not known), or as tab-separated
 * lines without a header when piped, so `cut -f1` and `awk` work: those are never cut.
 */
export function table<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  colors: Colors,
  tty: boolean,
  width: number | undefined = terminalSize().columns,
): string {
  if (!tty) {
    return rows.map((row) => columns.map((column) => column.value(row).replace(/[\t\n]/g, ' ')).join('\t')).join('\n');
  }
  const cells = rows.map((row) => columns.map((column) => column.value(row).replace(/\n/g, ' ')));
  // A loop, not Math.max(...cells): a list of every task has more rows than a call has arguments.
  const natural = columns.map((column, index) => {
    let widest = displayWidth(column.header);
    for (const cell of cells) widest = Math.max(widest, displayWidth(cell[index] ?? ''));
    return Math.min(column.max ?? Infinity, widest);
  });
  const widths = fitColumns(natural, columns, width);
  const shown = columns.flatMap((column, index) => {
    const fitted = widths[index];
    return fitted === undefined ? [] : [{ column, index, fitted }];
  });
  const output = new Table({
    head: shown.map(({ column }) => colors.bold(column.header.toUpperCase())),
    chars: borderless,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  for (const row of cells) output.push(shown.map(({ index, fitted }) => truncateToWidth(row[index] ?? '', fitted)));
  return output.toString();
}

/** `key: value` lines, for one resource. */
export function details(pairs: readonly [string, string][], colors: Colors): string {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${colors.dim(key.padEnd(width))}  ${value}`).join('\n');
}
