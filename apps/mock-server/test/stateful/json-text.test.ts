import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonTexts, pageText } from '../../src/engines/stateful/json-text.js';

describe('pageText', () => {
  it('writes the bytes of JSON.stringify(page), for any items and window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.string(), title: fc.string({ unit: 'grapheme' }), n: fc.option(fc.double()) }), { maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        (items, total, offset) => {
          const texts = new JsonTexts<object>(10);
          const page = { items, total, limit: 50, offset };
          expect(pageText(page, (item) => texts.of(item)).toString()).toBe(JSON.stringify(page));
        },
      ),
    );
  });
});

describe('JsonTexts', () => {
  it('serialises a record once, and again after it was pushed out by newer ones', () => {
    const texts = new JsonTexts<{ id: number }>(2);
    const first = { id: 1 };
    const text = texts.of(first);
    expect(texts.of(first)).toBe(text);
    texts.of({ id: 2 });
    texts.of({ id: 3 });
    const again = texts.of(first);
    expect(again).not.toBe(text);
    expect(again.toString()).toBe('{"id":1}');
  });
});
