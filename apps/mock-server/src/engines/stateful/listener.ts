import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerFactory } from 'fastify';

/**
 * The node:http server under the app: it can stop listening and start again on the same port
 * (the `down` fault), and closes every open connection when it stops.
 */
export class Listener {
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;

  /** For Fastify's `serverFactory` option. */
  readonly factory: FastifyServerFactory = (handler) => {
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
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
