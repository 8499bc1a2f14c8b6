import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (
  request: RecordedRequest,
  response: ServerResponse,
  raw: IncomingMessage,
) => void | Promise<void>;

export interface TestServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port; every request is recorded. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const request = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      Promise.resolve(handler(request, response, raw)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export function problem(status: number, title: string, detail?: string): Record<string, unknown> {
  return { type: 'about:blank', title, status, ...(detail ? { detail } : {}) };
}

export function task(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `TASK-${String(n).padStart(6, '0')}`,
    title: `Task ${n}`,
    description: null,
    status: 'pending',
    priority: 'medium',
    project_id: 'PRJ-001',
    sprint_id: null,
    assignee: null,
    tags: [],
    due_date: null,
    estimate_hours: null,
    completed_at: null,
    completion_notes: null,
    created_at: '2026-11-02T09:30:00Z',
    updated_at: '2026-11-02T09:30:00Z',
    version: 1,
    ...overrides,
  };
}

export function taskPage(items: Record<string, unknown>[], total = items.length, offset = 0): Record<string, unknown> {
  return { items, total, limit: Math.max(1, items.length), offset };
}

/** A port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<string> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.url;
}
