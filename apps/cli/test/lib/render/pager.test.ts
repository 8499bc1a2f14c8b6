import { describe, expect, it } from 'vitest';
import { pagerCommand, screenLines } from '../../../src/lib/render/pager.js';

describe('pagerCommand', () => {
  const cases: [string, { env: NodeJS.ProcessEnv; less: boolean; want: string | undefined }][] = [
    ['DTM_PAGER first', { env: { DTM_PAGER: 'most', PAGER: 'more' }, less: true, want: 'most' }],
    ['then PAGER', { env: { PAGER: 'less -S' }, less: true, want: 'less -S' }],
    ['then less, when on PATH', { env: {}, less: true, want: 'less' }],
    ['none without less', { env: {}, less: false, want: undefined }],
    ['an empty DTM_PAGER is none, whatever PAGER says', { env: { DTM_PAGER: '', PAGER: 'less' }, less: true, want: undefined }],
    ['cat is none', { env: { PAGER: ' cat ' }, less: true, want: undefined }],
  ];
  it.each(cases)('%s', (_, { env, less, want }) => {
    expect(pagerCommand(env, () => less)).toBe(want);
  });
});

describe('screenLines', () => {
  const cases: [string, { text: string; columns: number | undefined; want: number }][] = [
    ['one row a line', { text: 'a\nb\nc\n', columns: 80, want: 3 }],
    ['without a final newline', { text: 'a\nb', columns: 80, want: 2 }],
    ['an empty line is a row', { text: 'a\n\nb\n', columns: 80, want: 3 }],
    ['a long line wraps', { text: `${'x'.repeat(170)}\n`, columns: 80, want: 3 }],
    ['colours take no room', { text: `\u001b[1m${'x'.repeat(80)}\u001b[22m\n`, columns: 80, want: 1 }],
    ['width unknown: lines', { text: `${'x'.repeat(170)}\nb\n`, columns: undefined, want: 2 }],
  ];
  it.each(cases)('%s', (_, { text, columns, want }) => {
    expect(screenLines(text, columns)).toBe(want);
  });
});
