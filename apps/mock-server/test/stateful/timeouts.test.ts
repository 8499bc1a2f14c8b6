// A client that stops short of a whole request gets a 408 within requestTimeoutMs; an answer
// that takes longer than that (a long-poll, fully received) is not cut. The bound is the
// test's own timeout, not a clock assertion.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, type RunningMockServer, apiAs, expectProblem, postShortBody, start } from './harness.js';

let server: RunningMockServer;
let api: Api;

beforeAll(async () => {
  server = await start({ requestTimeoutMs: 300 });
  api = await apiAs(server);
});

afterAll(async () => {
  await server.stop();
});

/** Sends `text` on a raw connection and resolves with everything received until the server closes it. */
function sendRaw(text: string): Promise<string> {
  const { port } = server;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(received);
    });
  });
}

describe('requestTimeoutMs', () => {
  it('answers a body that stops short of its Content-Length with a 408 problem', async () => {
    const problem = expectProblem(await postShortBody(server, api.token, 100, '{"title":'), 408);
    expect(problem).toMatchObject({ title: 'Request Timeout', type: 'urn:dtm:problem:request-timeout' });
  }, 10_000);

  it('answers headers that never end with a 408 problem and closes the connection', async () => {
    const received = await sendRaw('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    const body = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)) as { status: number };
    expect(body.status).toBe(408);
  }, 10_000);

  it('does not cut a long-poll that waits longer than the timeout', async () => {
    let cursor: string | undefined;
    for (;;) {
      const page = await api.get('/api/v1/changes', { query: { limit: 1000, ...(cursor === undefined ? {} : { cursor }) } });
      expect(page.status, page.text).toBe(200);
      const body = page.body as { next_cursor: string; has_more: boolean };
      cursor = body.next_cursor;
      if (!body.has_more) break;
    }
    // Nothing changes: the server holds the request for the whole second, over three timeouts.
    const held = await api.get('/api/v1/changes', { query: { cursor, wait: 1 } });
    expect(held.status, held.text).toBe(200);
    expect((held.body as { items: unknown[] }).items).toEqual([]);
  }, 10_000);
});
