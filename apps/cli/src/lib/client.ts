import type { DtmClient } from '@dtm/sdk';
import { type CredentialStore, openCredentialStore } from './credentials.js';
import { recordCall } from './metrics-log.js';
import { nodeFetch } from './node-fetch.js';
import type { PersistedBreaker } from './store/data-layer.js';

export interface ClientSettings {
  apiUrl: string;
  timeoutMs: number;
  authTimeoutMs: number;
  credentialStore: 'auto' | 'keychain' | 'file';
  /**
   * The command may answer from the local copy when the API is unreachable. Then a refused or
   * broken connection and a timeout are not retried, and each attempt is bounded by
   * `authTimeoutMs` too, so the command fails over at once, or within that time for a server
   * that accepts but does not answer. Answers with 429 or 5xx are still retried.
   */
  fallback: boolean;
  debug: (line: string) => void;
  /** The circuit breaker's state as the last command left it, and where to save it (none: a fresh breaker). */
  breaker?: PersistedBreaker | undefined;
}

export interface Connection {
  client: DtmClient;
  credentials: CredentialStore;
}

/** The SDK client for a command; the SDK (ky, zod) is loaded only by commands that call the API. */
export async function connect(settings: ClientSettings): Promise<Connection> {
  const [{ DtmClient }, credentials] = await Promise.all([
    import('@dtm/sdk'),
    openCredentialStore(settings.apiUrl, settings.credentialStore),
  ]);
  const client = new DtmClient({
    baseUrl: settings.apiUrl,
    tokenStore: credentials,
    timeoutMs: settings.fallback ? Math.min(settings.timeoutMs, settings.authTimeoutMs) : settings.timeoutMs,
    ...(settings.fallback ? { retries: { retryUnreachable: false } } : {}),
    userAgent: 'dtm-cli',
    fetch: nodeFetch,
    env: {},
    // The SDK's own lines (retries, an observer that failed) are --debug lines here.
    logger: { debug: settings.debug, info: settings.debug, warn: settings.debug, error: settings.debug },
    logLevel: 'info',
    ...(settings.breaker === undefined ? {} : { breaker: settings.breaker }),
    hooks: {
      onMetrics: (metrics) => {
        recordCall(metrics);
        settings.debug(
          `${metrics.method} ${metrics.operation} → ${metrics.status ?? 'no answer'} in ${metrics.durationMs.toFixed(0)} ms` +
            ` (${metrics.attempts} attempt${metrics.attempts === 1 ? '' : 's'}, request ${metrics.requestId})`,
        );
      },
    },
  });
  return { client, credentials };
}
