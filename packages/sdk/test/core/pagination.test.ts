import { afterEach, describe, expect, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { readNdjson } from '../../src/core/pagination.js';
import { ResponseValidationError } from '../../src/core/errors.js';
import { type TestServer, sendJson, startServer, task } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('readNdjson', () => {
  const euro = new TextEncoder().encode('{"a":"€"}\n');
  it.each([
    ['one chunk', ['{"a":1}\n{"a":2}\n'], [{ a: 1 }, { a: 2 }]],
    ['lines split across chunks', ['{"a"', ':1}\n{"a":', '2}\n'], [{ a: 1 }, { a: 2 }]],
    ['no final newline', ['{"a":1}\n{"a":2}'], [{ a: 1 }, { a: 2 }]],
    ['blank lines and CRLF', ['{"a":1}\r\n\r\n{"a":2}\r\n'], [{ a: 1 }, { a: 2 }]],
    ['a multi-byte character split between chunks', [euro.slice(0, 7), euro.slice(7)], [{ a: '€' }]],
    ['an empty body', [], []],
  ])('%s', async (_, chunks, want) => {
    expect(await collect(readNdjson(() => Promise.resolve(streamOf(chunks)), (line) => JSON.parse(line) as unknown))).toEqual(want);
  });
});

describe('listAll', () => {
  it('walks every page with the filters and a bounded page size', async () => {
    const all = Array.from({ length: 250 }, (_, index) => task(index + 1));
    server = await startServer((request, response) => {
      const url = new URL(request.url, 'http://x');
      const limit = Number(url.searchParams.get('limit'));
      const offset = Number(url.searchParams.get('offset'));
      sendJson(response, 200, { items: all.slice(offset, offset + limit), total: all.length, limit, offset });
    });
    const client = new DtmClient({ baseUrl: server.url, token: 't', env: {} });
    const ids = (await collect(client.tasks.listAll({ status: ['pending'] }, { pageSize: 100 }))).map((t) => t.id);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(server.requests.map((request) => request.url)).toEqual([
      '/api/v1/tasks?status=pending&limit=100&offset=0',
      '/api/v1/tasks?status=pending&limit=100&offset=100',
      '/api/v1/tasks?status=pending&limit=100&offset=200',
    ]);
  });

  it('stops on an empty page even if total says more', async () => {
    server = await startServer((_, response) => {
      sendJson(response, 200, { items: [], total: 10, limit: 100, offset: 0 });
    });
    const client = new DtmClient({ baseUrl: server.url, token: 't', env: {} });
    expect(await collect(client.projects.listAll())).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('pages', () => {
  async function paged(total: number): Promise<DtmClient> {
    const all = Array.from({ length: total }, (_, index) => task(index + 1));
    server = await startServer((request, response) => {
      const url = new URL(request.url, 'http://x');
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      sendJson(response, 200, { items: all.slice(offset, offset + limit), total: all.length, limit, offset });
    });
    return new DtmClient({ baseUrl: server.url, token: 't', env: {} });
  }

  it('listAll(...).pages() walks whole pages, one request each', async () => {
    const client = await paged(250);
    const pages = await collect(client.tasks.listAll({ assignee: 'demo' }, { pageSize: 100 }).pages());
    expect(pages.map((page) => [page.offset, page.items.length, page.total])).toEqual([[0, 100, 250], [100, 100, 250], [200, 50, 250]]);
    expect(server?.requests.map((request) => request.url)).toEqual([
      '/api/v1/tasks?assignee=demo&limit=100&offset=0',
      '/api/v1/tasks?assignee=demo&limit=100&offset=100',
      '/api/v1/tasks?assignee=demo&limit=100&offset=200',
    ]);
  });

  it('a page from list() has hasNextPage() and getNextPage() (same filters), and still serialises as the plain data', async () => {
    const client = await paged(5);
    const first = await client.tasks.list({ limit: 2, status: ['pending'] });
    expect(JSON.parse(JSON.stringify(first))).toEqual({ items: [task(1), task(2)], total: 5, limit: 2, offset: 0 });
    expect(Object.keys(first).sort()).toEqual(['items', 'limit', 'offset', 'total']);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    const third = await second.getNextPage();
    expect([second.offset, third.offset, third.items.map((item) => item.id)]).toEqual([2, 4, ['TASK-000005']]);
    expect(third.hasNextPage()).toBe(false);
    await expect(third.getNextPage()).rejects.toThrow(/there is no page after offset 4: check hasNextPage\(\) first/);
    expect(server?.requests.map((request) => request.url).slice(1)).toEqual(['/api/v1/tasks?limit=2&status=pending&offset=2', '/api/v1/tasks?limit=2&status=pending&offset=4']);
  });
});

describe('tasks.export', () => {
  it('sends nothing until the loop starts', async () => {
    server = await startServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(`${JSON.stringify(task(1))}\n`);
    });
    const client = new DtmClient({ baseUrl: server.url, token: 't', env: {} });
    const tasks = client.tasks.export();
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.requests).toHaveLength(0);
    expect((await collect(tasks)).map((t) => t.id)).toEqual(['TASK-000001']);
    expect(server.requests).toHaveLength(1);
  });

  it('streams validated tasks from NDJSON with the filters', async () => {
    server = await startServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (let n = 1; n <= 1000; n++) response.write(`${JSON.stringify(task(n))}\n`);
      response.end();
    });
    const client = new DtmClient({ baseUrl: server.url, token: 't', env: {} });
    const tasks = await collect(client.tasks.export({ project_id: 'PRJ-001' }));
    expect(tasks).toHaveLength(1000);
    expect(tasks[999]?.id).toBe('TASK-001000');
    expect(server.requests[0]?.url).toBe('/api/v1/tasks/export?format=ndjson&project_id=PRJ-001');
  });

  it('names the line of a bad record', async () => {
    server = await startServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.end(`${JSON.stringify(task(1))}\n${JSON.stringify(task(2, { priority: 'urgent' }))}\n`);
    });
    const client = new DtmClient({ baseUrl: server.url, token: 't', env: {} });
    const error = await collect(client.tasks.export()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).path).toBe('line 2: priority');
  });

  it('stops downloading when the consumer breaks out early', async () => {
    let closed = false;
    server = await startServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.on('close', () => {
        closed = true;
      });
      let n = 0;
      const timer = setInterval(() => {
        if (response.destroyed) clearInterval(timer);
        else response.write(`${JSON.stringify(task(++n))}\n`);
      }, 1);
    });
    const client = new DtmClient({ baseUrl: server.url, token: 't', env: {} });
    for await (const item of client.tasks.export()) {
      if (item.id === 'TASK-000003') break;
    }
    await expect.poll(() => closed).toBe(true);
  });

  it('raises ConnectionError when the stream breaks', async () => {
    server = await startServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write(`${JSON.stringify(task(1))}\n{"id":"TASK-0`);
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const client = new DtmClient({ baseUrl: server.url, token: 't', env: {} });
    await expect(collect(client.tasks.export())).rejects.toMatchObject({ name: 'ConnectionError' });
  });
});

describe('walkPages (public)', () => {
  it('is exported, and walks the pages from the offset given to the total', async () => {
    const { walkPages } = await import('../../src/index.js');
    const all = ['a', 'b', 'c', 'd', 'e'];
    const asked: number[] = [];
    const fetchPage = (offset: number): Promise<{ items: string[]; total: number; limit: number; offset: number }> => {
      asked.push(offset);
      return Promise.resolve({ items: all.slice(offset, offset + 2), total: all.length, limit: 2, offset });
    };
    const pages = await collect(walkPages(fetchPage, 1));
    expect(pages.map((page) => page.items)).toEqual([['b', 'c'], ['d', 'e']]);
    expect(asked).toEqual([1, 3]);
  });
});
