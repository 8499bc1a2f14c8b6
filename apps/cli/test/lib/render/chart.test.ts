import { stripVTControlCharacters } from 'node:util';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { BurndownPoint } from '@dtm/sdk';
import { axisLabel, burndownChart, columnsPerDay, knownValues, stretch } from '../../../src/lib/render/chart.js';

const plain = pc.createColors(false);
const colored = pc.createColors(true);

function days(start: string, remaining: (number | null)[], scope: number): BurndownPoint[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  const last = remaining.length - 1;
  return remaining.map((value, index) => ({
    date: new Date(first + index * 86_400_000).toISOString().slice(0, 10),
    remaining: value,
    completed: value === null ? null : 0,
    ideal: last === 0 ? 0 : Math.round(scope * (1 - index / last) * 100) / 100,
  }));
}

describe('columnsPerDay', () => {
  it.each([
    { days: 0, width: 60, want: 1 },
    { days: 1, width: 60, want: 1 },
    { days: 2, width: 60, want: 6 },
    { days: 5, width: 60, want: 6 },
    { days: 14, width: 60, want: 4 },
    { days: 14, width: 20, want: 1 },
    { days: 30, width: 60, want: 2 },
    { days: 90, width: 60, want: 1 },
  ])('$days days in $width columns → $want per day', ({ days: count, width, want }) => {
    expect(columnsPerDay(count, width)).toBe(want);
  });
});

describe('stretch', () => {
  it.each([
    { values: [], factor: 3, mode: 'step' as const, want: [] },
    { values: [5], factor: 3, mode: 'linear' as const, want: [5] },
    { values: [4, 2], factor: 1, mode: 'linear' as const, want: [4, 2] },
    { values: [4, 2], factor: 2, mode: 'linear' as const, want: [4, 3, 2] },
    { values: [3, 0], factor: 3, mode: 'linear' as const, want: [3, 2, 1, 0] },
    { values: [3, 2, 0], factor: 2, mode: 'step' as const, want: [3, 3, 2, 2, 0] },
    { values: [1, 0], factor: 3, mode: 'linear' as const, want: [1, 0.667, 0.333, 0] },
  ])('$values × $factor ($mode) → $want', ({ values, factor, mode, want }) => {
    expect(stretch(values, factor, mode)).toEqual(want);
  });
});

describe('knownValues', () => {
  it.each([
    { given: [], want: [] },
    { given: [null, null], want: [] },
    { given: [3, 2, null], want: [3, 2] },
    { given: [3, 0, 0], want: [3, 0, 0] },
    { given: [3, null, 1], want: [3] },
  ])('$given → $want', ({ given, want }) => {
    expect(knownValues(given)).toEqual(want);
  });
});

describe('axisLabel', () => {
  it.each([
    { given: 0, want: '0' },
    { given: 12, want: '12' },
    { given: 6.5, want: '6.5' },
    { given: 3.333333, want: '3.3' },
    { given: 2.96, want: '3' },
  ])('$given → $want', ({ given, want }) => {
    expect(axisLabel(given)).toBe(want);
  });
});

describe('burndownChart', () => {
  it('draws remaining (solid) against ideal (dots), the first and last dates, and a legend', () => {
    const points = days('2026-03-02', [3, 3, 1, null, null], 4);
    const chart = burndownChart({ scope: 4, points }, { colors: plain, width: 9 });
    // 5 days in 9 columns: 2 columns per day (day 2, 2026-03-04, is column 4), one row per
    // task; remaining ends on day 2, where it drops from 3 to 1; the ideal goes on to 0.
    expect(chart.split('\n')).toEqual([
      ' 4 ┤··',
      ' 3 ┤───╮',
      ' 2 ┤   │··',
      ' 1 ┤   ╰ ···',
      ' 0 ┤       ·',
      '   2026-03-02 → 2026-03-06',
      '   ── remaining   ·· ideal',
    ]);
  });

  it.each([
    { name: 'every day known', remaining: [4, 3, 2, 1, 0], lastSolidColumn: 8 },
    { name: 'two days known', remaining: [4, 3, null, null, null], lastSolidColumn: 2 },
    { name: 'nothing known yet', remaining: [null, null, null, null, null], lastSolidColumn: -1 },
  ])('does not draw days to come: $name', ({ remaining, lastSolidColumn }) => {
    const chart = burndownChart({ scope: 4, points: days('2026-03-02', remaining, 4) }, { colors: plain, width: 9 });
    const plotRows = chart.split('\n').slice(0, -2);
    const solidColumns = plotRows.flatMap((row) => Array.from(row.slice(4)).flatMap((char, column) => (/[─│╭╮╯╰]/.test(char) ? [column + 1] : [])));
    expect(solidColumns.length === 0 ? -1 : Math.max(...solidColumns)).toBe(lastSolidColumn);
  });

  it('puts the dates at both ends of the plot when it is wide enough', () => {
    const points = days('2026-03-02', [5, 4, 4, 2, 1, 1, 0, null, null, null, null, null, null, null], 5);
    const lines = burndownChart({ scope: 5, points }, { colors: plain, width: 60 }).split('\n');
    const dates = lines.at(-2) ?? '';
    expect(dates.trimStart().startsWith('2026-03-02')).toBe(true);
    expect(dates.endsWith('2026-03-15')).toBe(true);
    // The last date ends under the last day's column: 13 gaps of 4 columns after the axis.
    expect(dates.length).toBe(' 5 '.length + 13 * 4 + 1);
  });

  it('colours the series only when colours are on', () => {
    const points = days('2026-03-02', [3, 2, null], 3);
    const withColour = burndownChart({ scope: 3, points }, { colors: colored, width: 20 });
    const without = burndownChart({ scope: 3, points }, { colors: plain, width: 20 });
    expect(stripVTControlCharacters(without)).toBe(without);
    expect(withColour).toContain('\u001b[36m');
    expect(stripVTControlCharacters(withColour)).toBe(without);
  });

  it.each([
    { name: 'no days', points: [], scope: 0, want: 'The sprint has no days to chart.' },
    { name: 'one day', points: days('2026-03-02', [0], 0), scope: 0, want: '2026-03-02' },
    { name: 'an empty sprint', points: days('2026-03-02', [0, 0, null], 0), scope: 0, want: '2026-03-02 → 2026-03-04' },
  ])('copes with $name', ({ points, scope, want }) => {
    const chart = burndownChart({ scope, points }, { colors: plain });
    expect(chart).toContain(want);
  });

  it('caps the height at 12 rows above zero for a large scope, with rounded labels', () => {
    const points = days('2026-03-02', [120, 100, 70, null], 120);
    const rows = burndownChart({ scope: 120, points }, { colors: plain }).split('\n').slice(0, -2);
    expect(rows).toHaveLength(13);
    expect(rows[0]).toMatch(/^ 120 ┤/);
    expect(rows.at(-1)).toMatch(/^ {3}0 ┤/);
  });
});
