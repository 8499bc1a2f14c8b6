import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import pc from 'picocolors';
import { type Column, fitColumns, table } from '../../../src/lib/render/table.js';
import { displayWidth } from '../../../src/lib/render/width.js';

const colors = pc.createColors(false);

describe('fitColumns', () => {
  const columns = [
    { header: 'id' },
    { header: 'title', shrink: 1 },
    { header: 'sprint', hide: 1 },
    { header: 'assignee', shrink: 2 },
  ];
  // Natural widths 11, 48, 7, 14: 80 plus three gaps of 2 = 86. A shrinking column's minimum is 10.
  const natural = [11, 48, 7, 14];
  const cases: [string, { limit: number | undefined; want: (number | undefined)[] }][] = [
    ['no limit: as wide as the cells', { limit: undefined, want: [11, 48, 7, 14] }],
    ['room enough: unchanged', { limit: 86, want: [11, 48, 7, 14] }],
    ['the title is cut first', { limit: 60, want: [11, 22, 7, 14] }],
    ['then the next shrinking column', { limit: 46, want: [11, 10, 7, 12] }],
    ['when even the minimums are too wide, a hiding column is left out and the title gets its room', { limit: 40, want: [11, 11, undefined, 14] }],
    ['ids are never cut', { limit: 20, want: [11, 10, undefined, 10] }],
  ];
  it.each(cases)('%s', (_, { limit, want }) => {
    expect(fitColumns(natural, columns, limit)).toEqual(want);
  });
});

interface Row {
  id: string;
  title: string;
  state: string;
}
const rows: Row[] = [
  { id: 'TASK-000001', title: 'Migrate the billing exports to the new warehouse schema', state: pc.createColors(true).green('done') },
  { id: 'TASK-000002', title: 'Short', state: 'open' },
];
const columns: Column<Row>[] = [
  { header: 'id', value: (row) => row.id },
  { header: 'title', value: (row) => row.title, max: 48, shrink: 1 },
  { header: 'state', value: (row) => row.state },
];

describe('table', () => {
  it('on a terminal, fits the width: the title ends in …, the id and the colours stay', () => {
    const lines = table(rows, columns, colors, true, 40).split('\n');
    for (const line of lines) expect(stripVTControlCharacters(line).length).toBeLessThanOrEqual(40);
    expect(stripVTControlCharacters(lines[1] ?? '').trimEnd()).toBe('TASK-000001  Migrate the billing…  done');
    expect(lines[1]).toContain('\u001b[32mdone');
  });

  it('wide characters and emoji count two columns: rows still fit and stay aligned', () => {
    const wide: Row[] = [
      { id: 'TASK-000003', title: '請求データを新しい倉庫スキーマへ移行する作業', state: 'open' },
      { id: 'TASK-000004', title: 'Ship it 🚀🚀🚀 to every region before the freeze', state: 'open' },
    ];
    const lines = table(wide, columns, colors, true, 40).split('\n');
    for (const line of lines) expect(displayWidth(line.trimEnd())).toBeLessThanOrEqual(40);
    const stateAt = lines.map((line) => displayWidth(line.slice(0, line.lastIndexOf('open'))));
    expect(new Set(stateAt.slice(1)).size).toBe(1);
  });

  it('on a terminal of unknown width, only `max` cuts', () => {
    const lines = table(rows, columns, colors, true, undefined).split('\n');
    expect(lines[1]).toContain(`${rows[0]?.title.slice(0, 47) ?? ''}…`);
  });

  it('piped, nothing is cut, whatever the width', () => {
    expect(table(rows, columns, colors, false, 20).split('\n')[0]).toBe(`TASK-000001\t${rows[0]?.title ?? ''}\t${rows[0]?.state ?? ''}`);
  });
});
