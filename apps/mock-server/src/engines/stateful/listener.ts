import { type IncomingMessage, type Server, type ServerOptions, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerFactory } from 'fastify';

/**
 * The node:http server under the app: it can stop listening and start again on the same port
 * (the `down` fault), and closes every open connection when it stops.
 */
export class Listener {
  readonly #sockets = new Set<Socket>();
  readonly #requestTimeoutMs: number;
  #server: Server | undefined;

  /**
   * @param requestTimeoutMs How long a client may take to send a whole request (headers and
   * body); then it gets a 408 and the connection closes. Answers may take longer: a long-poll
   * has been received in full, so it is not cut.
   */
  constructor(requestTimeoutMs: number) {
    this.#requestTimeoutMs = requestTimeoutMs;
  }

  /** For Fastify's `serverFactory` option (Fastify's own timeout options do not reach such a server). */
  readonly factory: FastifyServerFactory = (handler) => {
    const timeout = this.#requestTimeoutMs;
    const options: ServerOptions = {
      requestTimeout: timeout,
      headersTimeout: timeout,
      // node:http checks the timeouts this often (30 s by default), so a short timeout needs a short check.
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(timeout / 4))),
    };
    const server = createServer(options, (request: IncomingMessage, response: ServerResponse) => {
      handler(request, response);
    });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.#server = server;
    return server;
  };

  get #created(): Server {
    if (!this.#server) throw new Error('the app has not created its server yet');
    return this.#server;
  }

  /** The port listened on (0 before the first listen). */
  get port(): number {
    const address = this.#server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  listen(port: number, host: string): Promise<void> {
    const server = this.#created;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops listening and closes every connection, long-polls included. */
  close(): Promise<void> {
    const server = this.#created;
    return new Promise((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => {
        resolve();
      });
      for (const socket of this.#sockets) socket.destroy();
    });
  }
}
