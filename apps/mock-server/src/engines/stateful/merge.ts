import type { Cursor } from './sorted-list.js';

/** The items of several sorted sequences as one sorted sequence: a k-way merge over a binary heap of their cursors. */
export function merged<T>(cursors: Cursor<T>[], compare: (a: T, b: T) => number): Cursor<T> {
  const live = cursors.filter((cursor) => cursor.item !== undefined);
  return live.length === 1 ? (live[0] as Cursor<T>) : new MergedCursor(live, compare);
}

class MergedCursor<T> implements Cursor<T> {
  readonly #heap: Cursor<T>[];
  readonly #compare: (a: T, b: T) => number;
  item: T | undefined;

  /** `heap` holds cursors that are not at their end. */
  constructor(heap: Cursor<T>[], compare: (a: T, b: T) => number) {
    this.#heap = heap;
    this.#compare = compare;
    for (let index = (heap.length >>> 1) - 1; index >= 0; index--) this.#siftDown(index);
    this.item = heap[0]?.item;
  }

  advance(): void {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return;
    top.advance();
    if (top.item === undefined) {
      const last = heap.pop() as Cursor<T>;
      if (heap.length > 0) heap[0] = last;
    }
    this.#siftDown(0);
    this.item = heap[0]?.item;
  }

  #before(a: Cursor<T>, b: Cursor<T>): boolean {
    return this.#compare(a.item as T, b.item as T) < 0;
  }

  #siftDown(from: number): void {
    const heap = this.#heap;
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let least = at;
      if (left < heap.length && this.#before(heap[left] as Cursor<T>, heap[least] as Cursor<T>)) least = left;
      if (right < heap.length && this.#before(heap[right] as Cursor<T>, heap[least] as Cursor<T>)) least = right;
      if (least === at) return;
      [heap[at], heap[least]] = [heap[least] as Cursor<T>, heap[at] as Cursor<T>];
      at = least;
    }
  }
}
