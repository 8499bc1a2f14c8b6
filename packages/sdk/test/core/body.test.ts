// How bodies are read: the idle timeout and the caller's signal on streams (issue 10,
// defect 2) and the size limit on answers held in memory (defect 3). Each test runs a real
// server that stalls, or sends more than it should, and sees its connection closed.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DtmClient, type DtmClientOptions } from '../../src/client.js';
import {
  ConfigurationError,
  RequestAbortedError,
  ResponseTooLargeError,
  TimeoutError,
  isResponseTooLargeError,
} from '../../src/core/errors.js';
import { type Handler, type TestServer, sendJson, startServer, task, taskPage } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client of a fresh server, and a promise of each request's connection closing, in order. */
async function clientFor(handler: Handler, options: DtmClientOptions = {}) {
  const closes: Promise<void>[] = [];
  server = await startServer((request, response, raw) => {
    const socket: Socket = raw.socket;
    closes.push(
      new Promise((resolve) => {
        socket.once('close', () => {
          resolve();
        });
      }),
    );
    return handler(request, response, raw);
  });
  const client = new DtmClient({ baseUrl: server.url, token: 'test-token', breaker: false, env: {}, retries: 0, ...options });
  return { client, server, closes };
}

const ndjson = (from: number, to: number): string => {
  let text = '';
  for (let n = from; n <= to; n++) text += `${JSON.stringify(task(n))}\n`;
  return text;
};

/** Sends the headers and three tasks of an export, then nothing more (the connection stays open). */
const stallingExport =
  (type = 'application/x-ndjson'): Handler =>
  (_, response) => {
    response.writeHead(200, { 'content-type': type });
    response.write(type === 'text/csv' ? 'id,title\nTASK-000001,One\n' : ndjson(1, 3));
  };

/** Writes `chunk` again and again until the connection closes, with no Content-Length. */
function endless(response: ServerResponse, chunk: string): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write('{"items":[');
  const more = (): void => {
    if (!response.destroyed) response.write(chunk, more);
  };
  more();
}

/** Collects everything an iterator yields before it fails. */
async function drain<T>(items: AsyncIterable<T>, seen: T[] = []): Promise<unknown> {
  try {
    for await (const item of items) seen.push(item);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a stream that stops sending', () => {
  it('fails tasks.export() with TimeoutError after streamIdleTimeoutMs, the tasks before it delivered', async () => {
    const { client, closes } = await clientFor(stallingExport(), { streamIdleTimeoutMs: 200 });
    const seen: unknown[] = [];
    const error = await drain(client.tasks.export(), seen);
    expect(seen).toHaveLength(3);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200, idle: true, context: { operation: 'exportTasks' } });
    expect((error as TimeoutError).message).toMatch(/^exportTasks: the stream from http:\/\/127\.0\.0\.1:\d+ went idle: no data for 200 ms \(request req_\w+\)/);
    await closes[0];
  });

  it('fails exportCsv() the same way, the idle timeout given per call', async () => {
    const { client, closes } = await clientFor(stallingExport('text/csv'));
    const csv = await client.tasks.exportCsv({}, { streamIdleTimeoutMs: 200 });
    const error = await drain(csv);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200, idle: true });
    await closes[0];
  });

  it('defaults to the request timeout', async () => {
    const { client } = await clientFor(stallingExport(), { timeoutMs: 200 });
    expect(await drain(client.tasks.export())).toMatchObject({ name: 'TimeoutError', timeoutMs: 200, idle: true });
  });

  it('rejects a zero idle timeout at construction', () => {
    expect(() => new DtmClient({ streamIdleTimeoutMs: 0, env: {} })).toThrow(ConfigurationError);
  });
});

describe('aborting mid-stream', () => {
  it('ends tasks.export() with RequestAbortedError and closes the connection', async () => {
    const { client, closes } = await clientFor(stallingExport(), { streamIdleTimeoutMs: 60_000 });
    const controller = new AbortController();
    const seen: unknown[] = [];
    const iterating = drain(client.tasks.export({}, { signal: controller.signal }), seen);
    // Abort once the three tasks sent have arrived and the loop waits for more.
    await expect.poll(() => seen.length).toBe(3);
    controller.abort();
    expect(await iterating).toBeInstanceOf(RequestAbortedError);
    await closes[0];
  });

  it('errors the CSV stream with RequestAbortedError and closes the connection', async () => {
    const { client, closes } = await clientFor(stallingExport('text/csv'), { streamIdleTimeoutMs: 60_000 });
    const controller = new AbortController();
    const reader = (await client.tasks.exportCsv({}, { signal: controller.signal })).getReader();
    expect((await reader.read()).done).toBe(false);
    const pending = reader.read();
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(RequestAbortedError);
    await closes[0];
  });
});

describe('maxResponseBytes', () => {
  it('rejects a Content-Length over the limit without reading the body, and does not retry', async () => {
    const { client, server, closes } = await clientFor(
      (_, response) => {
        // Announces 10 000 bytes, sends 10: a client that read on would wait for the rest.
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '10000' });
        response.write('{"items":[');
      },
      { maxResponseBytes: 1000, retries: 2, timeoutMs: 60_000 },
    );
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(isResponseTooLargeError(error)).toBe(true);
    expect(error).toMatchObject({ limitBytes: 1000, announcedBytes: 10_000, context: { operation: 'listTasks' } });
    expect((error as ResponseTooLargeError).message).toMatch(
      /^listTasks: the answer was larger than 1000 bytes \(Content-Length: 10000 bytes\) \(request req_\w+\)\. /,
    );
    expect(server.requests).toHaveLength(1);
    await closes[0];
  });

  it('stops a chunked body at the first chunk past the limit, and does not retry', async () => {
    const { client, server, closes } = await clientFor(
      (_, response) => {
        endless(response, `${JSON.stringify(task(1))},`);
      },
      { maxResponseBytes: 64 * 1024, retries: 2, timeoutMs: 60_000 },
    );
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ limitBytes: 65_536, announcedBytes: undefined });
    expect((error as Error).message).toMatch(/^listTasks: the answer was larger than 64 KiB \(request /);
    expect(server.requests).toHaveLength(1);
    await closes[0];
  });

  it('accepts an answer of exactly the limit', async () => {
    const page = taskPage([task(1), task(2)]);
    const size = Buffer.byteLength(JSON.stringify(page));
    const { client } = await clientFor((_, response) => {
      sendJson(response, 200, page);
    }, { maxResponseBytes: size });
    await expect(client.tasks.list()).resolves.toMatchObject({ total: 2 });
  });

  it('is 32 MiB by default', async () => {
    const { client } = await clientFor((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(32 * 1024 * 1024 + 1) });
      response.write('{');
    });
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ResponseTooLargeError', limitBytes: 33_554_432 });
    expect((error as Error).message).toContain('larger than 32 MiB');
  });

  it('does not limit a streamed export', async () => {
    const { client } = await clientFor((_, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.end(ndjson(1, 20));
    }, { maxResponseBytes: 1000 });
    const seen: unknown[] = [];
    expect(await drain(client.tasks.export(), seen)).toBeUndefined();
    expect(seen).toHaveLength(20);
  });
});

describe('client.request()', () => {
  const raw = { method: 'GET', path: '/api/v1/tasks' } as const;

  it('holds the answer to maxResponseBytes: by Content-Length, and while reading', async () => {
    const { client, closes } = await clientFor(
      (request, response) => {
        if (request.url.endsWith('announced')) {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
          response.write('{');
        } else {
          endless(response, 'x'.repeat(512));
        }
      },
      { maxResponseBytes: 4096 },
    );
    const announced = await client.request({ ...raw, path: '/announced' }).catch((caught: unknown) => caught);
    expect(announced).toMatchObject({ name: 'ResponseTooLargeError', limitBytes: 4096, announcedBytes: 5000 });
    const chunked = await client.request({ ...raw, path: '/chunked' }).catch((caught: unknown) => caught);
    expect(chunked).toMatchObject({ name: 'ResponseTooLargeError', limitBytes: 4096, announcedBytes: undefined });
    await Promise.all(closes);
  });

  it('reads an answer under the limit', async () => {
    const { client } = await clientFor((_, response) => {
      sendJson(response, 200, taskPage([task(1)]));
    }, { maxResponseBytes: 4096 });
    await expect(client.request(raw)).resolves.toMatchObject({ status: 200, data: { total: 1 } });
  });

  it('fails a body that stops coming with TimeoutError after the idle timeout', async () => {
    const { client, closes } = await clientFor((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"items":[');
    }, { streamIdleTimeoutMs: 200 });
    const error = await client.request(raw).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200, idle: true, context: { operation: 'GET /api/v1/tasks' } });
    await closes[0];
  });

  it('ends with RequestAbortedError when the signal aborts after the headers, while the body is due', async () => {
    const controller = new AbortController();
    const { client, closes } = await clientFor(
      (_, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"items":[');
      },
      {
        streamIdleTimeoutMs: 60_000,
        hooks: {
          onResponse: () => {
            controller.abort();
          },
        },
      },
    );
    await expect(client.request(raw, { signal: controller.signal })).rejects.toBeInstanceOf(RequestAbortedError);
    await closes[0];
  });
});
