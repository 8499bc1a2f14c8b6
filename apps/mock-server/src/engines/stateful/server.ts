import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadContract } from '../../contract/operations.js';
import { type Faults, RateLimiter, noFaults, parseFaults } from '../../faults.js';
import { findSpecPath } from '../../spec.js';
import { buildApp } from './app.js';
import { Auth, type MockUser } from './auth.js';
import { ChangeFeed } from './changes.js';
import { IdempotencyCache } from './idempotency.js';
import { Listener } from './listener.js';
import { type DataFile, Saver, readSnapshot, writeAtomically } from './persistence.js';
import { seed } from './seed.js';
import { Store } from './store.js';
import { buildRequestCheckers } from './validation.js';

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
  /** JWT signing key; default `DTM_MOCK_JWT_SECRET`, else random for each start. */
  jwtSecret?: string;
  /** Keep the data in this JSON file: loaded at start, saved atomically after each change. */
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
  /** The demo user's password when it was generated for this start. */
  readonly generatedPassword: string | undefined;
  /** How many tasks the server holds right now. */
  taskCount(): number;
  /** How many listChanges long-polls are waiting for a change right now. */
  longPolls(): number;
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
  const specPath = findSpecPath();
  const document = parse(readFileSync(specPath, 'utf8')) as Record<string, unknown>;
  const operations = loadContract(specPath);
  const checkers = buildRequestCheckers(document);

  let generatedPassword: string | undefined;
  let users = options.users;
  if (!users) {
    const fromEnv = process.env.DTM_MOCK_PASSWORD;
    const password = fromEnv !== undefined && fromEnv !== '' ? fromEnv : (generatedPassword = randomBytes(9).toString('base64url'));
    users = [{ username: 'demo', password, display_name: 'Demo User', email: 'demo@example.com', roles: ['admin'] }];
  }
  const secret = options.jwtSecret ?? process.env.DTM_MOCK_JWT_SECRET;
  const auth = new Auth({
    users,
    accessTtlSeconds: options.accessTokenTtlSeconds ?? 900,
    refreshTtlSeconds: options.refreshTokenTtlSeconds ?? 7 * 86_400,
    secret: secret ? new TextEncoder().encode(secret) : randomBytes(32),
    now,
  });

  const store = new Store(now);
  const stored = options.dataFile === undefined ? undefined : await readSnapshot(options.dataFile);
  if (stored) store.load(stored);
  // Continues the saved feed (cursors stay valid), or starts a new epoch; the seed's writes are its first changes.
  const changes = stored ? ChangeFeed.restore(stored.changes, store) : new ChangeFeed();
  store.onRecord = changes.record;
  if (!stored) seed(store, { tasks: options.tasks ?? 300, seed: options.seed ?? 1, now: now() });
  const dataFile = (): DataFile => ({ ...store.snapshot(), changes: changes.snapshot() });
  let saver: Saver | undefined;
  if (options.dataFile !== undefined) {
    const file = options.dataFile;
    saver = new Saver(file, dataFile, {
      onError: (error) => {
        process.stderr.write(`dtm-mock: could not save ${file}: ${(error as Error).message}\n`);
      },
    });
    store.onChange = () => {
      saver?.schedule();
    };
    // The first save happens now, so a data file that cannot be written stops the start.
    if (!stored) {
      await writeAtomically(file, JSON.stringify(dataFile())).catch((error: unknown) => {
        throw new Error(`cannot write the data file ${file}: ${(error as Error).message}`);
      });
    }
  }

  let faults: Faults = { ...noFaults, ...parseFaults(options.faults ?? {}) };
  let upTimer: NodeJS.Timeout | undefined;
  const listener = new Listener(options.requestTimeoutMs ?? 10_000);
  const app = buildApp({
    operations,
    checkers,
    store,
    changes,
    auth,
    idempotency: new IdempotencyCache(),
    startedAt: Date.now(),
    limiter: new RateLimiter(),
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
    taskCount: () => store.taskCount,
    longPolls: () => changes.waiting,
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
