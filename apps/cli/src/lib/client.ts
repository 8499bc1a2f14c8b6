import type { DtmClient } from '@dtm/sdk';
import { type CredentialStore, openCredentialStore } from './credentials.js';
import { recordCall } from './metrics-log.js';
import { nodeFetch } from './node-fetch.js';

export interface ClientSettings {
  apiUrl: string;
  timeoutMs: number;
  authTimeoutMs: number;
  credentialStore: 'auto' | 'keychain' | 'file';
  debug: (line: string) => void;
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
    timeoutMs: settings.timeoutMs,
    userAgent: 'dtm-cli',
    fetch: nodeFetch,
    env: {},
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
