// `dtm mcp --http`: the same server over Streamable HTTP on loopback, with the official client
// (Client + StreamableHTTPClientTransport): a session per client, the tools as over stdio, and
// requests that do not name this loopback server (DNS rebinding) or come from another origin refused.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, bin, sandbox } from '../harness.js';

let box: Sandbox;
let server: ChildProcess;
let url: URL;
let stderr = '';
const clients: Client[] = [];

beforeAll(async () => {
  box = await sandbox({ tasks: 5 });
  await box.login();
  server = spawn(process.execPath, [bin, 'mcp', '--http', '0'], { env: box.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<URL>((resolve, reject) => {
    server.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const found = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
      if (found?.[1] !== undefined) resolve(new URL(found[1]));
    });
    server.once('exit', (code) => {
      reject(new Error(`dtm mcp --http exited with ${String(code)}: ${stderr}`));
    });
  });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  if (server.exitCode === null) server.kill('SIGKILL');
  await box.stop();
});

async function connect(): Promise<Client> {
  const client = new Client({ name: 'dtm-http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
  clients.push(client);
  return client;
}

/** A raw POST of an initialize, with the headers given. */
function post(headers: Record<string, string>, path = '/mcp'): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => { resolve({ status: response.statusCode ?? 0, body: text }); });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

describe('dtm mcp --http', () => {
  it('says where it listens, on loopback, on stderr only', () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(stderr).toMatch(/^Serving MCP \(Streamable HTTP\) at http:\/\/127\.0\.0\.1:\d+\/mcp, on loopback only; Ctrl-C stops it\.\n$/);
  });

  it('serves the same tools, a session per client', async () => {
    const [first, second] = [await connect(), await connect()];
    expect(first.getServerVersion()?.name).toBe('dtm');
    const { tools } = await first.listTools();
    expect(tools.map((tool) => tool.name)).toContain('bulk_update_tasks');
    const [a, b] = await Promise.all([first.callTool({ name: 'list_tasks', arguments: { limit: 2 } }), second.callTool({ name: 'health', arguments: {} })]);
    expect(a.structuredContent).toMatchObject({ source: 'api', result: { limit: 2, total: 5 } });
    expect(b.structuredContent).toMatchObject({ source: 'api', result: { status: 'ok' } });
    const { contents } = await second.readResource({ uri: 'dtm://tasks/TASK-000001' });
    expect(JSON.parse((contents[0] as { text: string }).text)).toMatchObject({ result: { id: 'TASK-000001' }, source: 'api' });
  });

  it('refuses a request that does not name this loopback server, or comes from a web page elsewhere', async () => {
    const port = url.port;
    expect(await post({ host: `127.0.0.1:${port}` })).toMatchObject({ status: 200 });
    expect(await post({ host: `localhost:${port}`, origin: `http://localhost:6274` })).toMatchObject({ status: 200 });
    expect(await post({ host: `attacker.example:${port}` })).toEqual({ status: 403, body: expect.stringContaining('the Host header must name this loopback server') as unknown });
    expect(await post({ host: `127.0.0.1:${port}`, origin: 'https://attacker.example' })).toEqual({ status: 403, body: expect.stringContaining('from a loopback origin only') as unknown });
    expect(await post({ host: `127.0.0.1:${port}` }, '/other')).toEqual({ status: 404, body: expect.stringContaining(`the MCP endpoint is http://127.0.0.1:${port}/mcp`) as unknown });
    expect(await post({ host: `127.0.0.1:${port}`, 'mcp-session-id': 'no-such-session' })).toEqual({ status: 404, body: expect.stringContaining('Session not found') as unknown });
  });

  it('stops on SIGTERM, with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('dtm mcp --http on a port in use', () => {
  it('says so, with the way out', async () => {
    const port = new URL(box.url).port;
    const taken = await box.run(['mcp', '--http', port]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(`Port ${port} on 127.0.0.1 is in use.`);
  });
});
