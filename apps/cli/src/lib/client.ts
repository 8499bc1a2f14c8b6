import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BreakerState, DtmClient } from '@dtm/sdk';
import { type CredentialStore, openCredentialStore } from './credentials.js';
import { recordCall } from './metrics-log.js';
import { nodeFetch } from './node-fetch.js';

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
  /** Where the circuit breaker's state is kept between commands (`breaker.json`); none when undefined. */
  dataDir?: string;
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
    ...(settings.dataDir === undefined ? {} : { breaker: persistedBreaker(settings.dataDir, settings.apiUrl, settings.debug) }),
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

type BreakerFile = Record<string, BreakerState>;

function isBreakerState(value: unknown): value is BreakerState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Partial<Record<keyof BreakerState, unknown>>;
  return (
    (state.state === 'closed' || state.state === 'open' || state.state === 'half-open') &&
    typeof state.failures === 'number' &&
    (state.openedAt === null || typeof state.openedAt === 'number')
  );
}

function readBreakerFile(file: string): BreakerFile {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
    const states: BreakerFile = {};
    for (const [url, state] of Object.entries(data)) if (isBreakerState(state)) states[url] = state;
    return states;
  } catch {
    return {};
  }
}

/**
 * The SDK's circuit breaker (default thresholds), started from the state the last command left
 * for this API in `breaker.json` and saved at every change: once the server is known to be down,
 * the next command fails over at once instead of waiting for it again. The file is a cache; a
 * broken or missing one is a closed breaker. Written synchronously (a few bytes, on changes
 * only) so that it is saved even when the command exits right after.
 */
export function persistedBreaker(
  dir: string,
  apiUrl: string,
  debug: (line: string) => void = () => undefined,
): { state?: BreakerState; onStateChange: (state: BreakerState) => void } {
  const file = join(dir, 'breaker.json');
  const saved = readBreakerFile(file)[apiUrl];
  return {
    ...(saved === undefined ? {} : { state: saved }),
    onStateChange: (state) => {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const all = { ...readBreakerFile(file), [apiUrl]: state };
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, `${JSON.stringify(all)}\n`, { mode: 0o600 });
        renameSync(temporary, file);
      } catch (error) {
        debug(`could not save the circuit breaker state to ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
