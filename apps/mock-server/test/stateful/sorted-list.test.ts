// SortedList and the k-way merge against plain sorted arrays, with enough items for many
// chunks (a chunk holds up to 1,024), so every cursor crosses chunk boundaries both ways.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merged } from '../../src/engines/stateful/merge.js';
import { type Cursor, SortedList } from '../../src/engines/stateful/sorted-list.js';

const byNumber = (a: number, b: number): number => a - b;

function drain(cursor: Cursor<number>): number[] {
  const items: number[] = [];
  while (cursor.item !== undefined) {
    items.push(cursor.item);
    cursor.advance();
  }
  return items;
}

/** A list built from `initial`, then changed by inserting and deleting; and the same as a sorted array. */
function build(initial: number[], inserts: number[], deletes: number[]): { list: SortedList<number>; want: number[] } {
  const unique = [...new Set(initial)].sort(byNumber);
  const list = new SortedList(byNumber, unique);
  const want = new Set(unique);
  for (const item of inserts) {
    if (want.has(item)) continue;
    list.insert(item);
    want.add(item);
  }
  for (const item of deletes) expect(list.delete(item)).toBe(want.delete(item));
  return { list, want: [...want].sort(byNumber) };
}

// fast-check keeps arrays short unless told: `size: 'max'` lets them reach their maxLength.
const numbers = (max: number) => fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: max, size: 'max' });

describe('SortedList', () => {
  it('reads every position forward, backward and in slices, after inserts and deletes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 20_000 }), { minLength: 1500, maxLength: 5000, size: 'max' }), numbers(3000), numbers(3000), fc.nat(6000), fc.nat(1500), (initial, inserts, deletes, start, count) => {
        const { list, want } = build(initial, inserts, deletes);
        fc.pre(want.length > 1024);
        expect(list.size).toBe(want.length);
        expect(drain(list.cursor(0))).toEqual(want);
        expect(drain(list.cursor(start))).toEqual(want.slice(start));
        expect(drain(list.backwardCursor())).toEqual([...want].reverse());
        expect(list.slice(start, count)).toEqual(want.slice(start, start + count));
        const probe = start * 3;
        expect(list.rank(probe)).toBe(want.filter((item) => item < probe).length);
      }),
      { numRuns: 40 },
    );
  });

  it('has cursors at the end at once when empty', () => {
    const list = new SortedList(byNumber);
    expect(list.cursor(0).item).toBeUndefined();
    expect(list.backwardCursor().item).toBeUndefined();
    expect(list.slice(0, 10)).toEqual([]);
  });
});

describe('merged', () => {
  it('merges any number of sorted lists, empty ones too, into one sorted sequence', () => {
    fc.assert(
      fc.property(fc.array(numbers(1500), { maxLength: 12 }), (parts) => {
        // Distinct items across lists, as the task groups are: item × lists + list number.
        const lists = parts.map((part, number) => [...new Set(part)].sort(byNumber).map((item) => item * parts.length + number));
        const cursors = lists.map((items) => new SortedList(byNumber, items).cursor(0));
        expect(drain(merged(cursors, byNumber))).toEqual(lists.flat().sort(byNumber));
      }),
      { numRuns: 60 },
    );
  });
});
