/** The items of several sorted sequences as one sorted sequence (a k-way merge over a binary heap). */
export function* merged<T>(sequences: Iterable<T>[], compare: (a: T, b: T) => number): Generator<T, void, undefined> {
  if (sequences.length === 1) {
    yield* sequences[0] as Iterable<T>;
    return;
  }
  const heads: { item: T; rest: Iterator<T> }[] = [];
  for (const sequence of sequences) {
    const rest = sequence[Symbol.iterator]();
    const first = rest.next();
    if (!first.done) heads.push({ item: first.value, rest });
  }
  const before = (a: number, b: number): boolean => compare((heads[a] as { item: T }).item, (heads[b] as { item: T }).item) < 0;
  const swap = (a: number, b: number): void => {
    [heads[a], heads[b]] = [heads[b] as (typeof heads)[number], heads[a] as (typeof heads)[number]];
  };
  const siftDown = (from: number): void => {
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let least = at;
      if (left < heads.length && before(left, least)) least = left;
      if (right < heads.length && before(right, least)) least = right;
      if (least === at) return;
      swap(at, least);
      at = least;
    }
  };
  for (let index = (heads.length >>> 1) - 1; index >= 0; index--) siftDown(index);
  while (heads.length > 0) {
    const top = heads[0] as (typeof heads)[number];
    yield top.item;
    const next = top.rest.next();
    if (next.done) {
      const last = heads.pop() as (typeof heads)[number];
      if (heads.length === 0) return;
      heads[0] = last;
    } else top.item = next.value;
    siftDown(0);
  }
}
