import cors from '@fastify/cors';
import type { FastifyPluginCallback } from 'fastify';
import { unencapsulated } from './unencapsulated.js';

export interface CorsOptions {
  /** The origins a browser app may call from; `*` (any) by default, as suits a dev server. */
  origin: string | readonly string[];
}

/**
 * What a browser app needs: the contract's methods and request headers (and `Prefer`,
 * `X-Dtm-Fault`, which pick a fault for one request), its response headers readable.
 */
const allowedHeaders = ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id', 'Prefer', 'X-Dtm-Fault'];
const exposedHeaders = ['ETag', 'Location', 'X-Request-Id', 'Retry-After', 'Idempotent-Replayed'];

/**
 * CORS for browser apps on another origin (e.g. a Vite dev server on http://localhost:5173).
 * Preflights are answered in its onRequest hook, registered before the fault hook, so no
 * fault, auth or route ever sees them.
 */
export const corsPlugin: FastifyPluginCallback<CorsOptions> = unencapsulated('cors', (app, options, done) => {
  const origin = options.origin;
  void app.register(cors, {
    origin: typeof origin === 'string' ? origin : [...origin],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders,
    exposedHeaders,
    maxAge: 600,
    // An OPTIONS without the preflight headers gets a plain 204 rather than cors's text/plain 400.
    strictPreflight: false,
  });
  done();
});
