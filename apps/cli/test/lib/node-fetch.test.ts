import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../src/lib/node-fetch.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;
let handler: Handler = (_request, response) => response.end();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      handler(request, response, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeFetch', () => {
  it('sends the method, headers and body, and returns status, headers and body', async () => {
    let seen: { method?: string; type?: string; custom?: string; body?: string } = {};
    handler = (request, response, body) => {
      seen = { method: request.method, type: request.headers['content-type'], custom: String(request.headers['x-custom']), body };
      response.writeHead(201, { 'content-type': 'application/json', etag: '"1"' }).end('{"ok":true}');
    };
    const response = await nodeFetch(`${base}/things?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custom': 'yes' },
      body: JSON.stringify({ title: 'héllo' }),
    });
    expect(seen).toEqual({ method: 'POST', type: 'application/json', custom: 'yes', body: '{"title":"héllo"}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('accepts a Request, and answers 204 with an empty body', async () => {
    handler = (_request, response) => response.writeHead(204).end();
    const response = await nodeFetch(new Request(`${base}/gone`, { method: 'DELETE' }));
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('streams the body as it arrives', async () => {
    let finish: () => void = () => undefined;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.write('{"n":1}\n');
      finish = () => response.end('{"n":2}\n');
    };
    const response = await nodeFetch(`${base}/stream`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"n":1}\n');
    finish();
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe('{"n":2}\n');
  });

  it('rejects like fetch when the connection is refused: TypeError with the system error as cause', async () => {
    const error = (await nodeFetch('http://127.0.0.1:1/').catch((caught: unknown) => caught)) as TypeError & { cause: { code: string } };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause.code).toBe('ECONNREFUSED');
  });

  it('rejects with the reason when aborted, before or while waiting', async () => {
    const early = new AbortController();
    early.abort(new Error('stop early'));
    await expect(nodeFetch(`${base}/`, { signal: early.signal })).rejects.toThrow('stop early');

    handler = () => undefined; // never answers
    const late = new AbortController();
    const pending = nodeFetch(`${base}/slow`, { signal: late.signal });
    setTimeout(() => { late.abort(new Error('stop late')); }, 50);
    await expect(pending).rejects.toThrow('stop late');
  });

  it('errors the body stream when the connection breaks mid-body', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"partial":');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    const response = await nodeFetch(`${base}/broken`);
    await expect(response.text()).rejects.toThrow();
  });
});
