import { describe, expect, it } from 'vitest';
import { displayWidth, truncateToWidth } from '../../../src/lib/render/width.js';

describe('displayWidth', () => {
  const cases: [string, { given: string; want: number }][] = [
    ['ASCII', { given: 'Fix the login', want: 13 }],
    ['colours take no columns', { given: '\u001b[1m\u001b[31m‼ critical\u001b[39m\u001b[22m', want: 10 }],
    ['an accent on its letter is one column', { given: 'cafe\u0301', want: 4 }],
    ['CJK is two columns a character', { given: '日本語', want: 6 }],
    ['an emoji is two columns, with its modifiers', { given: 'ok 👍🏽', want: 5 }],
    ['a flag is two columns', { given: '🇩🇪', want: 2 }],
    ['the widest line', { given: 'ab\nabcd', want: 4 }],
  ];
  it.each(cases)('%s', (_, { given, want }) => {
    expect(displayWidth(given)).toBe(want);
  });
});

describe('truncateToWidth', () => {
  const cases: [string, { given: string; width: number; want: string }][] = [
    ['fits: unchanged, colours kept', { given: '\u001b[36mshort\u001b[39m', width: 5, want: '\u001b[36mshort\u001b[39m' }],
    ['cut: ends in …', { given: 'Migrate the billing exports', width: 12, want: 'Migrate the…' }],
    ['cut: colours dropped', { given: '\u001b[36min_progress\u001b[39m', width: 6, want: 'in_pr…' }],
    ['a wide character is not split', { given: '日本語テキスト', width: 6, want: '日本…' }],
    ['an emoji stays whole', { given: '👍🏽👍🏽👍🏽', width: 5, want: '👍🏽👍🏽…' }],
    ['no room', { given: 'abc', width: 0, want: '' }],
  ];
  it.each(cases)('%s', (_, { given, width, want }) => {
    const cut = truncateToWidth(given, width);
    expect(cut).toBe(want);
    expect(displayWidth(cut)).toBeLessThanOrEqual(width);
  });
});
