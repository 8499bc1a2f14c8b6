import { type Faults, RateLimiter, noFaults, parseFaults } from '../../faults.js';
import { seededRandom } from '../../random.js';
import { findSpecPath } from '../../spec.js';
import { buildApp } from './app.js';
import type { MockUser } from './auth.js';
import { IdempotencyCache } from './idempotency.js';
import { Listener } from './listener.js';
import { type LoadedContract, adoptContract, loadLiveContract, watchContract } from './live-contract.js';
import { RequestLog } from './request-log.js';
import { openState } from './state.js';

export interface MockServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Demo tasks to seed when there is no data file yet (default 300). */
  tasks?: number;
  /** Seed of the demo data's random choices (default 1). */
  seed?: number;
  /**
   * Who can log in. Default: one admin, `demo`, whose password is `DTM_MOCK_PASSWORD`
   * or, when that is unset, generated (and reported in `generatedPassword`).
   */
  users?: MockUser[];
  /** Access token lifetime in seconds (default 900). */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime in seconds (default 7 days). */
  refreshTokenTtlSeconds?: number;
  /** JWT signing key; default `DTM_MOCK_JWT_SECRET`, else the one kept in `dataFile`, else random. */
  jwtSecret?: string;
  /**
   * Keep the data in this JSON file: loaded at start, saved atomically after each change, with
   * the sessions and the generated password and JWT key. Without it (the default) nothing is kept.
   */
  dataFile?: string;
  /**
   * The origins a browser app may call from (CORS), e.g. `http://localhost:5173`; default `*`,
   * any origin.
   */
  corsOrigin?: string | readonly string[];
  /**
   * Milliseconds a client may take to send a whole request, headers and body (default 10 000);
   * a request that stops short gets a 408. Long-polls of listChanges are not cut by it.
   */
  requestTimeoutMs?: number;
  /** Faults to inject from the start (all off by default). */
  faults?: Partial<Faults>;
  /** Seed of the faults' random choices (errorRate, dropRate, jitter), so a run can be replayed; default random. */
  faultSeed?: number;
  /** The contract to serve (default: the openapi.yaml found next to the package). */
  specPath?: string;
  /** Reload the contract's request checks when the spec file changes (default false). */
  watch?: boolean;
  /** Print one line per request (method, path, status, time; never headers or bodies). */
  log?: (line: string) => void;
  /** The clock, for tests. */
  now?: () => Date;
}

export interface RunningMockServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly port: number;
  /** The users who can log in, with their passwords. */
  readonly users: readonly MockUser[];
  /** The demo user's password when it was generated: for this start, or kept in `dataFile` from an earlier one. */
  readonly generatedPassword: string | undefined;
  /** True when the data came from an existing `dataFile` (`tasks` and `seed` were not used). */
  readonly dataFileLoaded: boolean;
  /** How many tasks the server holds right now. */
  taskCount(): number;
  /** How many listChanges long-polls are waiting for a change right now. */
  longPolls(): number;
  /** How many times `watch` reloaded the contract since the start. */
  contractReloads(): number;
  /** The faults in force. */
  faults(): Faults;
  /** Changes some faults; `down: true` stops listening (connections are refused) until `down: false`. */
  setFaults(faults: Partial<Faults>): Promise<void>;
  /** Writes pending changes to the data file, if there is one. */
  flush(): Promise<void>;
  /** Saves, closes every connection and stops listening. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts the stateful DTM mock: every operation of openapi.yaml with real semantics,
 * real JWT auth, demo data, optional persistence and fault injection.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const now = options.now ?? (() => new Date());
  const specPath = options.specPath ?? findSpecPath();
  let contract: LoadedContract = loadLiveContract(specPath);
  const { store, changes, auth, users, generatedPassword, dataFileLoaded, saver } = await openState(options, now);

  let faults: Faults = { ...noFaults, ...parseFaults(options.faults ?? {}) };
  let upTimer: NodeJS.Timeout | undefined;
  const listener = new Listener(options.requestTimeoutMs ?? 10_000);
  const app = buildApp({
    contract: () => contract,
    store,
    changes,
    auth,
    idempotency: new IdempotencyCache(),
    startedAt: Date.now(),
    limiter: new RateLimiter(),
    random: options.faultSeed === undefined ? Math.random : seededRandom(options.faultSeed),
    requests: new RequestLog(),
    log: options.log,
    corsOrigin: options.corsOrigin ?? '*',
    serverFactory: listener.factory,
    faults: {
      current: () => faults,
      change: (change) => {
        faults = { ...faults, ...change };
      },
      goDownFor: (ms) => {
        void running.setFaults({ down: true }).then(() => {
          upTimer = setTimeout(() => void running.setFaults({ down: false }), ms);
        });
      },
    },
  });

  const report = (line: string): void => void process.stderr.write(`dtm-mock: ${line}\n`);
  const watcher = options.watch
    ? watchContract(specPath, (next) => (contract = adoptContract(contract, next, report)), report)
    : undefined;

  await app.ready();
  const host = options.host ?? '127.0.0.1';
  await listener.listen(options.port ?? 0, host);
  const port = listener.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let stopping: Promise<void> | undefined;
  const running: RunningMockServer = {
    url: `http://${urlHost}:${port}`,
    port,
    users,
    generatedPassword,
    dataFileLoaded,
    taskCount: () => store.taskCount,
    longPolls: () => changes.waiting,
    contractReloads: () => watcher?.reloads ?? 0,
    faults: () => ({ ...faults }),
    async setFaults(change) {
      const next = { ...faults, ...parseFaults(change) };
      const wasDown = faults.down;
      faults = next;
      if (next.down && !wasDown) await listener.close();
      if (!next.down && wasDown && !stopping) {
        clearTimeout(upTimer);
        await listener.listen(port, host);
      }
    },
    flush: async () => saver?.flush(),
    stop() {
      stopping ??= (async () => {
        clearTimeout(upTimer);
        watcher?.close();
        await listener.close();
        await app.close();
        await saver?.flush();
      })();
      return stopping;
    },
  };
  if (faults.down) {
    faults = { ...faults, down: false };
    await running.setFaults({ down: true });
  }
  return running;
}
