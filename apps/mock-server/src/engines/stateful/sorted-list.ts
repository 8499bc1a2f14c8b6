// Sorted chunks rather than one array: an insert or delete is a binary search plus a splice
// of at most `maxChunk` items, where a splice of a 1M-item array would move megabytes.
const maxChunk = 1024;

/**
 * The items in the comparator's order, which must be total (no two items compare equal):
 * insert and delete in O(log N + chunk), read from any position in O(N / chunk + count).
 */
export class SortedList<T> {
  readonly #compare: (a: T, b: T) => number;
  #chunks: T[][] = [];
  #size = 0;

  constructor(compare: (a: T, b: T) => number, sorted: readonly T[] = []) {
    this.#compare = compare;
    const half = maxChunk / 2;
    for (let start = 0; start < sorted.length; start += half) this.#chunks.push(sorted.slice(start, start + half));
    this.#size = sorted.length;
  }

  get size(): number {
    return this.#size;
  }

  /** The chunk that holds `item`, or would: the first whose last item is not below it (the last chunk when none is). */
  #chunkOf(item: T): number {
    let low = 0;
    let high = this.#chunks.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = this.#chunks[middle] as T[];
      if (this.#compare(chunk[chunk.length - 1] as T, item) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #lowerBound(chunk: readonly T[], item: T): number {
    let low = 0;
    let high = chunk.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#compare(chunk[middle] as T, item) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insert(item: T): void {
    this.#size++;
    if (this.#chunks.length === 0) {
      this.#chunks.push([item]);
      return;
    }
    const index = this.#chunkOf(item);
    const chunk = this.#chunks[index] as T[];
    chunk.splice(this.#lowerBound(chunk, item), 0, item);
    if (chunk.length > maxChunk) this.#chunks.splice(index + 1, 0, chunk.splice(maxChunk / 2));
  }

  /** Removes the item that compares equal to `item`; false when there is none. */
  delete(item: T): boolean {
    const found = this.#find(item);
    if (!found) return false;
    const [index, position] = found;
    const chunk = this.#chunks[index] as T[];
    chunk.splice(position, 1);
    if (chunk.length === 0) this.#chunks.splice(index, 1);
    this.#size--;
    return true;
  }

  /** Puts `next` where `previous` is, moving it only when the order tells them apart. */
  replace(previous: T, next: T): void {
    const found = this.#compare(previous, next) === 0 ? this.#find(previous) : undefined;
    if (found) {
      (this.#chunks[found[0]] as T[])[found[1]] = next;
      return;
    }
    this.delete(previous);
    this.insert(next);
  }

  #find(item: T): [number, number] | undefined {
    if (this.#chunks.length === 0) return undefined;
    const index = this.#chunkOf(item);
    const chunk = this.#chunks[index] as T[];
    const position = this.#lowerBound(chunk, item);
    return position < chunk.length && this.#compare(chunk[position] as T, item) === 0 ? [index, position] : undefined;
  }

  /** How many items sort before `probe` (which need not be in the list). */
  rank(probe: T): number {
    if (this.#chunks.length === 0) return 0;
    const index = this.#chunkOf(probe);
    let before = 0;
    for (let chunk = 0; chunk < index; chunk++) before += (this.#chunks[chunk] as T[]).length;
    return before + this.#lowerBound(this.#chunks[index] as T[], probe);
  }

  /** A cursor at position `start`, reading forward. */
  cursor(start: number): Cursor<T> {
    let skip = Math.max(0, start);
    let chunk = 0;
    while (chunk < this.#chunks.length && skip >= (this.#chunks[chunk] as T[]).length) skip -= (this.#chunks[chunk++] as T[]).length;
    return new ChunkCursor(this.#chunks, chunk, skip, 1);
  }

  /** A cursor at the last item, reading backward. */
  backwardCursor(): Cursor<T> {
    const last = this.#chunks.length - 1;
    return new ChunkCursor(this.#chunks, last, last < 0 ? 0 : (this.#chunks[last] as T[]).length - 1, -1);
  }

  /** Up to `count` items from position `start` on. */
  slice(start: number, count: number): T[] {
    const items: T[] = [];
    let skip = Math.max(0, start);
    for (const chunk of this.#chunks) {
      if (items.length >= count) break;
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      items.push(...chunk.slice(skip, skip + count - items.length));
      skip = 0;
    }
    return items;
  }
}

/** A reading position in a sorted sequence: `item` is the one there, undefined past the end. */
export interface Cursor<T> {
  readonly item: T | undefined;
  advance(): void;
}

/**
 * Reads a SortedList's chunks one way. A merge of many lists holds one cursor per list, and a
 * cursor costs far less to make and to step than a generator did (the merge of ~50 groups for a
 * status filter was most of a list page's cost).
 */
class ChunkCursor<T> implements Cursor<T> {
  readonly #chunks: readonly T[][];
  readonly #step: 1 | -1;
  #chunk: number;
  #position: number;
  item: T | undefined;

  constructor(chunks: readonly T[][], chunk: number, position: number, step: 1 | -1) {
    this.#chunks = chunks;
    this.#chunk = chunk;
    this.#position = position;
    this.#step = step;
    this.item = chunks[chunk]?.[position];
  }

  advance(): void {
    const chunks = this.#chunks;
    this.#position += this.#step;
    let items = chunks[this.#chunk];
    if (items !== undefined && (this.#position < 0 || this.#position >= items.length)) {
      this.#chunk += this.#step;
      items = chunks[this.#chunk];
      this.#position = this.#step === 1 || items === undefined ? 0 : items.length - 1;
    }
    this.item = items?.[this.#position];
  }
}
