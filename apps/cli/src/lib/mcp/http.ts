// `dtm mcp --http PORT`: the same server over the Streamable HTTP transport, at
// http://127.0.0.1:PORT/mcp — on the loopback interface only. A session per client (its
// `initialize` makes one; `DELETE /mcp` or the process's end closes it). A request must name
// this server by its loopback host (no DNS rebinding) and, from a browser, come from a loopback
// origin; nothing else is served.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface HttpServer {
  /** The endpoint, http://127.0.0.1:PORT/mcp. */
  url: string;
  /** Closes every session, then the listening socket. */
  close(): Promise<void>;
}

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The host name of a Host header or an origin's URL, lower case and without the port. */
function hostName(value: string): string {
  return value.toLowerCase().replace(/:\d+$/, '');
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Why a request is not served, or undefined when it is. */
function refusal(request: IncomingMessage, port: number): [number, string] | undefined {
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  if (path !== '/mcp') return [404, `Not found: the MCP endpoint is http://127.0.0.1:${port}/mcp.`];
  const host = request.headers.host ?? '';
  if (!loopbackNames.has(hostName(host)) || !host.endsWith(`:${port}`)) return [403, 'Forbidden: the Host header must name this loopback server.'];
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let name: string;
    try {
      name = new URL(origin).host;
    } catch {
      return [403, 'Forbidden: the Origin header is not a URL.'];
    }
    if (!loopbackNames.has(hostName(name))) return [403, 'Forbidden: requests from a web page are taken from a loopback origin only.'];
  }
  return undefined;
}

// eslint-disable-next-line @typescript-eslint/no-deprecated -- the low-level Server, see server.ts
export async function serveHttp(port: number, newServer: () => Server): Promise<HttpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer((request, response) => {
    const refused = refusal(request, (http.address() as AddressInfo).port);
    if (refused !== undefined) {
      refuse(response, ...refused);
      return;
    }
    const id = request.headers['mcp-session-id'];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    if (typeof id === 'string' && known === undefined) {
      refuse(response, 404, 'Session not found: it was closed, or this server was restarted; initialize a new one.');
      return;
    }
    const serve = async (): Promise<void> => {
      let transport = known;
      if (transport === undefined) {
        // A new session; the transport answers 400 to anything but an `initialize`.
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          onsessioninitialized: (sessionId) => {
            sessions.set(sessionId, created);
          },
        });
        created.onclose = () => {
          if (created.sessionId !== undefined) sessions.delete(created.sessionId);
        };
        await newServer().connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response);
    };
    serve().catch((error: unknown) => {
      if (!response.headersSent) refuse(response, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    async close() {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => { resolve(); }));
    },
  };
}
