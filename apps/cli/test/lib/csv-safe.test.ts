import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CsvFormulaGuard, csvFormulaGuard, neutralizeFormula } from '../../src/lib/csv-safe.js';

describe('neutralizeFormula', () => {
  it.each([
    { name: '=', given: '=HYPERLINK("http://x","y")', want: `'=HYPERLINK("http://x","y")` },
    { name: '+', given: '+cmd', want: "'+cmd" },
    { name: '- with an expression', given: '-2+3', want: "'-2+3" },
    { name: '- with text', given: '-x', want: "'-x" },
    { name: 'a lone -', given: '-', want: "'-" },
    { name: '- then a dot', given: '-2.', want: "'-2." },
    { name: '@', given: '@SUM(1+1)', want: "'@SUM(1+1)" },
    { name: 'tab', given: '\t=1+1', want: "'\t=1+1" },
    { name: 'CR', given: '\r=1+1', want: "'\r=1+1" },
    { name: 'a plain negative number', given: '-2', want: '-2' },
    { name: 'a plain negative decimal', given: '-2.5', want: '-2.5' },
    { name: 'a positive number', given: '3', want: '3' },
    { name: 'an empty cell', given: '', want: '' },
    { name: 'a normal title', given: 'Write the release notes', want: 'Write the release notes' },
    { name: 'a formula character later on', given: 'a=b+c', want: 'a=b+c' },
    { name: 'unicode', given: 'Grüße ✓ “quoted”', want: 'Grüße ✓ “quoted”' },
    { name: 'a leading space', given: ' =1', want: ' =1' },
  ])('$name: $given → $want', ({ given, want }) => {
    expect(neutralizeFormula(given)).toBe(want);
  });
});

/** The CSV through the guard, fed `size` bytes at a time (the whole of it when undefined). */
async function guarded(csv: string, size?: number): Promise<string> {
  const bytes = Buffer.from(csv, 'utf8');
  const chunks: Buffer[] = [];
  const step = size ?? Math.max(1, bytes.length);
  for (let start = 0; start < bytes.length; start += step) chunks.push(bytes.subarray(start, start + step));
  const guard = csvFormulaGuard();
  const out = buffer(guard);
  await pipeline(Readable.from(chunks), guard);
  return (await out).toString('utf8');
}

const sizes = [1, 2, 7, undefined];

describe('csvFormulaGuard', () => {
  it.each([
    { name: 'bare fields', given: 'a,b\n=1,+2\n@3,x\n', want: "a,b\n'=1,'+2\n'@3,x\n" },
    { name: 'quoted fields', given: 'a,b\n"=1,2","@x"\n', want: `a,b\n"'=1,2","'@x"\n` },
    { name: 'doubled quotes inside quotes', given: 'a\n"""=x"""\n"=""q"""\n', want: `a\n"""=x"""\n"'=""q"""\n` },
    { name: 'an empty quoted field', given: 'a,b\n"",=x\n', want: `a,b\n"",'=x\n` },
    { name: 'a formula character later in a field', given: 'a,b\nx=1,"y+2"\n', want: 'a,b\nx=1,"y+2"\n' },
    { name: 'after a comma inside quotes is not a field start', given: 'a\n"x,=1"\n', want: 'a\n"x,=1"\n' },
    { name: 'after a newline inside quotes is not a field start', given: 'a\n"x\n=1"\n', want: 'a\n"x\n=1"\n' },
    { name: 'CRLF rows', given: 'a,b\r\n=1,x\r\n@2,\r\n', want: "a,b\r\n'=1,x\r\n'@2,\r\n" },
    { name: 'an empty last field before CRLF', given: 'a,b\r\nx,\r\n,\r\n', want: 'a,b\r\nx,\r\n,\r\n' },
    { name: 'a bare field starting with CR', given: 'a,b\n\rx,y\n', want: "a,b\n'\rx,y\n" },
    { name: 'a quoted field starting with CR or tab', given: 'a,b\n"\r=1","\tx"\r\n', want: `a,b\n"'\r=1","'\tx"\r\n` },
    { name: 'a bare tab', given: 'a\n\t=1\n', want: "a\n'\t=1\n" },
    {
      name: 'plain negative numbers stay, other - cells get the quote',
      given: 'a,b,c,d,e,f\n-2,-2.5,"-3","-3.25",-2+3,"-x"\n-,-2.,"-","-1""",-7,"-8"\n',
      want: `a,b,c,d,e,f\n-2,-2.5,"-3","-3.25",'-2+3,"'-x"\n'-,'-2.,"'-","'-1""",-7,"-8"\n`,
    },
    { name: 'a negative number with CRLF', given: 'a,b\r\n-2,-3\r\n', want: 'a,b\r\n-2,-3\r\n' },
    { name: 'a - cell at the very end', given: 'a,b\n-2,-x', want: "a,b\n-2,'-x" },
    { name: 'a quoted number at the very end', given: 'a\n"-2"', want: 'a\n"-2"' },
    { name: 'no final newline', given: 'a\n=1', want: "a\n'=1" },
    { name: 'a trailing CR', given: 'a\nb,\r', want: 'a\nb,\r' },
    { name: 'multi-byte text', given: 'a,b\n"Grüße, “x”",=✓\n✓,"=ü"\n', want: `a,b\n"Grüße, “x”",'=✓\n✓,"'=ü"\n` },
    { name: 'nothing', given: '', want: '' },
    { name: 'only a header', given: 'id,title\n', want: 'id,title\n' },
  ])('$name', async ({ given, want }) => {
    for (const size of sizes) expect(await guarded(given, size), `in chunks of ${size ?? 'all'}`).toBe(want);
  });

  // Cells as csv-stringify (the server's writer) quotes them, formula or not.
  const cells = [
    ['id', 'title', 'description', 'estimate_hours', 'tags'],
    ['TASK-000001', '=HYPERLINK("http://evil","x")', 'Line one\r\nline "two", end', '-2.5', '-x;ok'],
    ['TASK-000002', '@SUM(1+1)', '\r=cmd', '', ''],
    ['TASK-000003', '+cmd|\' /C calc\'!A0', '\tTabbed', '3', 'a;b'],
    ['TASK-000004', 'Grüße, “quoted” ✓', '-2+3', '-7', '=1'],
    ['TASK-000005', '', '"=quoted"', '0', '@'],
  ];
  const want = cells.map((row, index) => (index === 0 ? row : row.map(neutralizeFormula)));

  it.each([
    { name: 'LF', eol: '\n' },
    { name: 'CRLF', eol: '\r\n' },
  ])('$name: output split at every byte boundary is the same, and parses back to neutralized cells', async ({ eol }) => {
    const csv = stringify(cells, { record_delimiter: eol === '\n' ? 'unix' : 'windows' });
    const whole = await guarded(csv);
    expect(parse(whole, { relax_column_count: false })).toEqual(want);
    for (const size of [1, 2, 7]) expect(await guarded(csv, size), `in chunks of ${size}`).toBe(whole);
    // Every split into two chunks, at each byte (inside multi-byte characters too).
    const bytes = Buffer.from(csv, 'utf8');
    for (let at = 0; at <= bytes.length; at++) {
      const guard = new CsvFormulaGuard();
      const out = Buffer.concat([guard.push(bytes.subarray(0, at)), guard.push(bytes.subarray(at)), guard.end()]);
      expect(out.toString('utf8'), `split at byte ${at}`).toBe(whole);
    }
  });

  it('adds no record: the row count is unchanged', async () => {
    const csv = stringify(cells);
    expect(parse(await guarded(csv, 3))).toHaveLength(cells.length);
  });
});
