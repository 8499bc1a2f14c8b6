// The burndown chart in a terminal: remaining work against the ideal line, drawn with
// asciichart. The two series are drawn separately and overlaid, so they stay apart without
// colour too: remaining as a solid line, ideal as dots.
import * as asciichart from 'asciichart';
import type { Burndown } from '@dtm/sdk';
import type { Colors } from './style.js';

type Symbols = NonNullable<asciichart.PlotConfig['symbols']>;
// The axis is ┤ throughout (asciichart would put ┼ on its top row and at a series' first value).
const solid: Symbols = ['┤', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'];
const dotted: Symbols = ['┤', '┤', '·', '·', '·', '·', '·', '·', '·', '·'];

export interface ChartOptions {
  colors: Colors;
  /** Columns the plot may use, axis labels aside (default 60). */
  width?: number;
  /** Rows above the zero line (default: the largest value, at most 12). */
  height?: number;
}

/** How many columns each day gets so that the plot fits `width` (1 to 6). */
export function columnsPerDay(days: number, width: number): number {
  if (days <= 1) return 1;
  return Math.min(6, Math.max(1, Math.floor((width - 1) / (days - 1))));
}

/**
 * Spreads one value per day over `factor` columns per day: `linear` interpolates between
 * days (the ideal line), `step` holds a day's value until the next day (remaining work).
 * n values become (n - 1) × factor + 1.
 */
export function stretch(values: readonly number[], factor: number, mode: 'linear' | 'step'): number[] {
  if (values.length <= 1 || factor <= 1) return [...values];
  const out: number[] = [];
  for (let index = 0; index < values.length - 1; index++) {
    const from = values[index] ?? 0;
    const to = values[index + 1] ?? 0;
    for (let step = 0; step < factor; step++) {
      out.push(mode === 'step' ? from : Math.round((from + ((to - from) * step) / factor) * 1000) / 1000);
    }
  }
  out.push(values.at(-1) ?? 0);
  return out;
}

/** The values of the days that have passed: those before the first null (days to come). */
export function knownValues(values: readonly (number | null)[]): number[] {
  const known: number[] = [];
  for (const value of values) {
    if (value === null) break;
    known.push(value);
  }
  return known;
}

/** An axis label: whole numbers as they are, others with one decimal. */
export function axisLabel(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/**
 * The chart: a y axis in tasks, remaining work (solid) and the ideal line (dots) over the
 * sprint's days, the first and last dates under the plot, and a legend. Days still to come
 * have no remaining value and are not drawn; the ideal line covers the whole sprint.
 */
export function burndownChart(burndown: Pick<Burndown, 'points' | 'scope'>, options: ChartOptions): string {
  const { colors } = options;
  const points = burndown.points;
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) return 'The sprint has no days to chart.';
  const factor = columnsPerDay(points.length, options.width ?? 60);
  const ideal = stretch(
    points.map((point) => point.ideal),
    factor,
    'linear',
  );
  const known = knownValues(points.map((point) => point.remaining));
  const remaining = stretch(known, factor, 'step');
  const max = Math.max(1, Math.ceil(Math.max(burndown.scope, ...ideal, ...remaining)));
  const height = Math.max(1, Math.min(options.height ?? Math.min(max, 12), max * 4));
  const rowValues = Array.from({ length: height + 1 }, (_, row) => max - (row * max) / height);
  // A label, right-aligned after one space, then one space before the axis.
  const labelWidth = Math.max(...rowValues.map((value) => axisLabel(value).length)) + 2;
  const config: asciichart.PlotConfig = {
    min: 0,
    max,
    height,
    offset: 2,
    format: (value: number) => `${axisLabel(value).padStart(labelWidth - 1)} `,
  };
  const idealRows = asciichart.plot([ideal], { ...config, symbols: dotted }).split('\n');
  const remainingRows = remaining.length > 0 ? asciichart.plot([remaining], { ...config, symbols: solid }).split('\n') : [];
  const columns = ideal.length;

  const lines = idealRows.map((idealRow, row) => {
    const remainingRow = remainingRows[row] ?? '';
    // The label and the axis are the same in both plots.
    let line = idealRow.slice(0, labelWidth + 1);
    // Runs of one series' characters, so that each run is coloured once.
    let run = '';
    let kind: 'remaining' | 'ideal' | 'blank' = 'blank';
    const flush = (): void => {
      line += kind === 'remaining' ? colors.cyan(run) : kind === 'ideal' ? colors.dim(run) : run;
      run = '';
    };
    for (let column = labelWidth + 1; column < labelWidth + columns; column++) {
      const fromRemaining = remainingRow.charAt(column).trim();
      const fromIdeal = idealRow.charAt(column).trim();
      const next = fromRemaining !== '' ? 'remaining' : fromIdeal !== '' ? 'ideal' : 'blank';
      if (next !== kind) flush();
      kind = next;
      run += fromRemaining || fromIdeal || ' ';
    }
    flush();
    return line.trimEnd();
  });

  const indent = ' '.repeat(labelWidth);
  const gap = columns - first.date.length - last.date.length;
  const dates =
    points.length === 1 ? first.date : gap >= 2 ? `${first.date}${' '.repeat(gap)}${last.date}` : `${first.date} → ${last.date}`;
  lines.push(`${indent}${dates}`);
  lines.push(`${indent}${colors.cyan('──')} remaining   ${colors.dim('··')} ideal`);
  return lines.join('\n');
}
