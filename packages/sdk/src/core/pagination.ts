/** A page as every list operation returns it. */
export interface Page<T> {
  /** The items on this page, at most `limit`. */
  items: T[];
  /** How many items match the filters, across all pages. */
  total: number;
  /** The most items a page holds, as requested (or the server's default). */
  limit: number;
  /** How many matching items come before this page. */
  offset: number;
}

/** What a page of `list()` can do besides being read: ask for the page after it. */
export interface PageNavigation<P> {
  /** True when the server has items after this page. */
  readonly hasNextPage: () => boolean;
  /** The page after this one, with the same filters and options; throws when there is none. */
  readonly getNextPage: () => Promise<P & PageNavigation<P>>;
}

/** A page as `list()` answers it: the items and their count, and the way to the next page. */
export type NavigablePage<P> = P & PageNavigation<P>;

/** Walks items one at a time (`for await`), or whole pages with `.pages()`. */
export type PageWalk<T, P extends Page<T>> = AsyncGenerator<T, void, undefined> & {
  /** Every page from the first, one request each. */
  pages(): AsyncGenerator<P, void, undefined>;
};

const hasNext = (page: Page<unknown>): boolean => page.items.length > 0 && page.offset + page.items.length < page.total;

/**
 * Gives a page its navigation: `fetchPage(offset)` asks for the page at that offset. The
 * methods are not enumerable, so the page still serialises and compares as the plain data.
 */
export function navigable<P extends Page<unknown>>(page: P, fetchPage: (offset: number) => Promise<NavigablePage<P>>): NavigablePage<P> {
  const navigation: PageNavigation<P> = {
    hasNextPage: () => hasNext(page),
    getNextPage: () => {
      if (!hasNext(page)) return Promise.reject(new RangeError(`there is no page after offset ${page.offset}: check hasNextPage() first`));
      return fetchPage(page.offset + page.items.length);
    },
  };
  return Object.defineProperties(page, {
    hasNextPage: { value: navigation.hasNextPage, enumerable: false },
    getNextPage: { value: navigation.getNextPage, enumerable: false },
  }) as NavigablePage<P>;
}

/**
 * Every page of a list operation from `startOffset`, until the server has no more: for a
 * list the client has no method for, fetched with `client.request()`.
 * @example
 * const fetchPage = async (offset: number) =>
 *   (await client.request({ method: 'GET', path: '/api/v1/tasks', query: { offset } })).data as TaskPage;
 * for await (const page of walkPages(fetchPage)) console.log(page.offset, page.items.length);
 */
export async function* walkPages<T, P extends Page<T>>(fetchPage: (offset: number) => Promise<P>, startOffset = 0): AsyncGenerator<P, void, undefined> {
  let offset = startOffset;
  for (;;) {
    const page = await fetchPage(offset);
    yield page;
    offset += page.items.length;
    if (!hasNext(page)) return;
  }
}

/**
 * Walks every item of a list operation: memory stays bounded by one page whatever the
 * total. Offset paging can skip or repeat an item that is created or deleted during the
 * walk; sort by a stable key when that matters.
 */
export function walkItems<T, P extends Page<T>>(fetchPage: (offset: number) => Promise<P>): PageWalk<T, P> {
  async function* items(): AsyncGenerator<T, void, undefined> {
    for await (const page of walkPages<T, P>(fetchPage)) yield* page.items;
  }
  return Object.assign(items(), { pages: () => walkPages<T, P>(fetchPage) });
}

/**
 * Reads a stream of newline-delimited JSON, yielding each record as soon as its line is
 * complete. Only one line is held in memory at a time. `open` is called at the first
 * `next()` (nothing is sent before the loop starts); a null body yields nothing. This is
 * the only generator between the bytes and the caller's loop: each layer more costs a
 * promise per record.
 */
export async function* readNdjson<T>(
  open: () => Promise<ReadableStream<Uint8Array> | null>,
  parse: (line: string, lineNumber: number) => T,
): AsyncGenerator<T, void, undefined> {
  const body = await open();
  if (!body) return;
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let lineNumber = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let start = 0;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n', start)) {
        const line = buffer.slice(start, newline);
        start = newline + 1;
        lineNumber++;
        // JSON.parse skips the whitespace around a value (a CR too); only blank lines are skipped here.
        if (!isBlank(line)) yield parse(line, lineNumber);
      }
      buffer = buffer.slice(start);
      if (done) break;
    }
    if (!isBlank(buffer)) yield parse(buffer, lineNumber + 1);
  } finally {
    // Stop the download when the consumer breaks out of the loop early.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** A line with nothing but whitespace. */
const isBlank = (line: string): boolean => line.trim() === '';
