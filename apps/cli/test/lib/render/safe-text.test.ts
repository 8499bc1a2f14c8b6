import { describe, expect, it } from 'vitest';
import { safeStrings, safeText } from '../../../src/lib/render/safe-text.js';

describe('safeText', () => {
  it('shows control characters in caret notation; keeps tabs, newlines and all other text', () => {
    expect(safeText('\u001b]0;pwned\u0007\u001b[31mRed')).toBe('^[]0;pwned^G^[[31mRed');
    expect(safeText('a\rb\bc\u0000d\u007fe\u009b31m')).toBe('a^Mb^Hc^@d^?e^[[31m');
    expect(safeText('tab\tand\nnewline, ünïcödé, emoji 🎉')).toBe('tab\tand\nnewline, ünïcödé, emoji 🎉');
  });

  it('safeStrings copies only what changed, and keeps a clean value as the same object', () => {
    const clean = { items: [{ title: 'fine', tags: ['a'] }], total: 1 };
    expect(safeStrings(clean)).toBe(clean);
    const hostile = { items: [{ title: '\u001b[2J', n: 1 }, { title: 'ok' }], total: 2 };
    const safe = safeStrings(hostile);
    expect(safe).toEqual({ items: [{ title: '^[[2J', n: 1 }, { title: 'ok' }], total: 2 });
    expect(hostile.items[0]?.title).toBe('\u001b[2J');
    expect(safe.items[1]).toBe(hostile.items[1]);
  });
});
