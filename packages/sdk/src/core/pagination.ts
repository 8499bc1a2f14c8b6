/** A page as every list operation returns it. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * Walks every page of a list operation, yielding one item at a time: memory stays bounded
 * by one page whatever the total. Offset paging can skip or repeat an item that is created
 * or deleted during the walk; sort by a stable key when that matters.
 */
export async function* walkPages<T>(
  fetchPage: (offset: number) => Promise<Page<T>>,
  startOffset = 0,
): AsyncGenerator<T, void, undefined> {
  let offset = startOffset;
  for (;;) {
    const page = await fetchPage(offset);
    yield* page.items;
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return;
  }
}

/**
 * Reads a stream of newline-delimited JSON, yielding each record as soon as its line is
 * complete. Only one line is held in memory at a time.
 */
export async function* readNdjson(
  body: ReadableStream<Uint8Array>,
  parse: (line: string, lineNumber: number) => unknown,
): AsyncGenerator<unknown, void, undefined> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let lineNumber = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        lineNumber++;
        if (line) yield parse(line, lineNumber);
        newline = buffer.indexOf('\n');
      }
      if (done) break;
    }
    const last = buffer.trim();
    if (last) yield parse(last, lineNumber + 1);
  } finally {
    // Stop the download when the consumer breaks out of the loop early.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
