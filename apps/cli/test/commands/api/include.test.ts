// `dtm api -i`: the status line and the response headers before the body, as `gh api -i`.
import { type Server, type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 2 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

/** Splits `-i` output into the head's lines and the body. */
function split(stdout: string): { head: string[]; body: unknown } {
  const at = stdout.indexOf('\n\n');
  return { head: stdout.slice(0, at).split('\n'), body: JSON.parse(stdout.slice(at + 2)) as unknown };
}

/** A server that answers every request with these raw bytes (latin1), to send what node:http would refuse to. */
async function rawServer(response: string): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.end(Buffer.from(response, 'latin1')));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJVU1ItMDAxIn0.c2lnbmF0dXJl';
const body = JSON.stringify({ status: 'ok', version: '1.0.0', database: { status: 'up', latency_ms: 1 }, uptime_seconds: 1 });
const tricky = [
  'HTTP/1.1 200 OK',
  'Content-Type: application/json',
  `Content-Length: ${body.length}`,
  `Set-Cookie: session=${jwt}; Path=/; HttpOnly`,
  'Set-Cookie: theme=dark; Path=/',
  `X-Echo: Bearer ${jwt}`,
  // C1 CSI (U+009B) as obs-text: `\x9b31m` would turn a terminal red.
  'X-Note: a\x9b31mb',
  '',
  body,
].join('\r\n');

describe('dtm api -i', () => {
  it('prints the status line and the headers as received, a blank line, then the body', async () => {
    const result = await box.run(['api', '-i', '/api/v1/tasks/TASK-000001']);
    expect(result.code, result.stderr).toBe(0);
    const { head, body: task } = split(result.stdout);
    expect(head[0]).toBe('HTTP/1.1 200 OK');
    expect(head).toContain('etag: "1"');
    expect(head).toContainEqual(expect.stringMatching(/^content-type: application\/json/));
    expect(head).toContainEqual(expect.stringMatching(/^x-request-id: req_\w+$/));
    // The request's headers are not printed: no token.
    expect(result.stdout.toLowerCase()).not.toContain('authorization');
    expect(task).toMatchObject({ id: 'TASK-000001' });
  });

  it('prints the head of an error status too, before the problem', async () => {
    const result = await box.run(['api', '--include', '/api/v1/tasks/TASK-999999']);
    expect(result.code).toBe(1);
    const { head, body: problem } = split(result.stdout);
    expect(head[0]).toBe('HTTP/1.1 404 Not Found');
    expect(head).toContainEqual(expect.stringMatching(/^content-type: application\/problem\+json/));
    expect(problem).toMatchObject({ status: 404 });
  });

  it('redacts token-like values (Set-Cookie kept, its credential not), and passes other bytes exactly to a pipe', async () => {
    const server = await rawServer(tricky);
    try {
      const result = await box.run(['api', '-i', '/health', '--api-url', server.url]);
      expect(result.code, result.stderr).toBe(0);
      const { head } = split(result.stdout);
      expect(head).toEqual([
        'HTTP/1.1 200 OK',
        `content-length: ${body.length}`,
        'content-type: application/json',
        'x-echo: Bearer [REDACTED]',
        'x-note: a\u009b31mb',
        'set-cookie: session=[REDACTED]; Path=/; HttpOnly',
        'set-cookie: theme=dark; Path=/',
      ]);
      expect(result.stdout).not.toContain(jwt);
    } finally {
      await server.close();
    }
  });

  it.runIf(canRunInTerminal)('on a terminal, control characters of header values are shown, not obeyed', async () => {
    const server = await rawServer(tricky);
    try {
      const result = await runInTerminal(box, ['api', '-i', '/health', '--api-url', server.url]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain('x-note: a^[[31mb\n');
      expect(result.output).not.toContain('\u009b');
    } finally {
      await server.close();
    }
  });
});
