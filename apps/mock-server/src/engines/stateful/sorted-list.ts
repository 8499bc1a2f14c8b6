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

  /** The items from position `start` on, in order. */
  *from(start: number): Generator<T, void, undefined> {
    let skip = Math.max(0, start);
    for (const chunk of this.#chunks) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      for (let position = skip; position < chunk.length; position++) yield chunk[position] as T;
      skip = 0;
    }
  }

  /** Every item, last first. */
  *backward(): Generator<T, void, undefined> {
    for (let chunk = this.#chunks.length - 1; chunk >= 0; chunk--) {
      const items = this.#chunks[chunk] as T[];
      for (let position = items.length - 1; position >= 0; position--) yield items[position] as T;
    }
  }

  /** Up to `count` items from position `start` on. */
  slice(start: number, count: number): T[] {
    const items: T[] = [];
    if (count <= 0) return items;
    for (const item of this.from(start)) {
      items.push(item);
      if (items.length === count) break;
    }
    return items;
  }
}
