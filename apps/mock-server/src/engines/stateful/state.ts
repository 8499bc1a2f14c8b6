import { randomBytes } from 'node:crypto';
import { Auth, type MockUser } from './auth.js';
import { ChangeFeed } from './changes.js';
import { type DataFile, type KeptSecrets, Saver, readSnapshot, writeAtomically } from './persistence.js';
import { seed } from './seed.js';
import { Store } from './store.js';

/** The options of `startMockServer()` that decide what the server holds at start. */
export interface StateOptions {
  tasks?: number | undefined;
  seed?: number | undefined;
  users?: MockUser[] | undefined;
  accessTokenTtlSeconds?: number | undefined;
  refreshTokenTtlSeconds?: number | undefined;
  jwtSecret?: string | undefined;
  dataFile?: string | undefined;
}

/** What a server serves: the data, the change feed, the logins, and where they are saved. */
export interface MockState {
  readonly store: Store;
  readonly changes: ChangeFeed;
  readonly auth: Auth;
  readonly users: MockUser[];
  /** The demo user's password when it was generated (for this start, or kept from an earlier one). */
  readonly generatedPassword: string | undefined;
  /** True when the data came from an existing data file (so `tasks` and `seed` were not used). */
  readonly dataFileLoaded: boolean;
  readonly saver: Saver | undefined;
}

const fromEnv = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * The demo password and the JWT key: given ones win (options, then DTM_MOCK_PASSWORD and
 * DTM_MOCK_JWT_SECRET), then the ones a data file kept, then new random ones. Only generated
 * ones are kept: a secret from the environment is never written to disk.
 */
function chooseSecrets(options: StateOptions, kept: KeptSecrets | undefined) {
  const envPassword = fromEnv('DTM_MOCK_PASSWORD');
  const password = options.users !== undefined || envPassword !== undefined ? undefined : (kept?.password ?? randomBytes(9).toString('base64url'));
  const demo: MockUser = { username: 'demo', password: envPassword ?? password ?? '', display_name: 'Demo User', email: 'demo@example.com', roles: ['admin'] };
  const givenSecret = options.jwtSecret ?? fromEnv('DTM_MOCK_JWT_SECRET');
  const jwtSecret = givenSecret === undefined ? (kept?.jwtSecret ?? randomBytes(32).toString('base64url')) : undefined;
  const key = jwtSecret === undefined ? new TextEncoder().encode(givenSecret) : Buffer.from(jwtSecret, 'base64url');
  // What was kept stays kept, even while a given secret overrides it for this run.
  const toKeep: KeptSecrets = { password: password ?? kept?.password, jwtSecret: jwtSecret ?? kept?.jwtSecret };
  const changed = toKeep.password !== kept?.password || toKeep.jwtSecret !== kept?.jwtSecret;
  return { users: options.users ?? [demo], generatedPassword: password, key, toKeep, changed };
}

/** Loads the data file (or seeds fresh data) and sets up the logins; the first save happens here. */
export async function openState(options: StateOptions, now: () => Date): Promise<MockState> {
  const stored = options.dataFile === undefined ? undefined : await readSnapshot(options.dataFile);
  const secrets = chooseSecrets(options, stored?.secrets);
  const auth = new Auth({
    users: secrets.users,
    accessTtlSeconds: options.accessTokenTtlSeconds ?? 900,
    refreshTtlSeconds: options.refreshTokenTtlSeconds ?? 7 * 86_400,
    secret: secrets.key,
    now,
  });
  if (stored?.auth) auth.restore(stored.auth);

  const store = new Store(now);
  if (stored) store.load(stored);
  // Continues the saved feed (cursors stay valid), or starts a new epoch; the seed's writes are its first changes.
  const changes = stored ? ChangeFeed.restore(stored.changes, store) : new ChangeFeed();
  store.onRecord = changes.record;
  if (!stored) seed(store, { tasks: options.tasks ?? 300, seed: options.seed ?? 1, now: now() });

  let saver: Saver | undefined;
  if (options.dataFile !== undefined) {
    const file = options.dataFile;
    const dataFile = (): DataFile => ({ ...store.snapshot(), changes: changes.snapshot(), auth: auth.snapshot(), secrets: secrets.toKeep });
    const created = new Saver(file, dataFile, {
      onError: (error) => {
        process.stderr.write(`dtm-mock: could not save ${file}: ${(error as Error).message}\n`);
      },
    });
    store.onChange = () => {
      created.schedule();
    };
    auth.onChange = store.onChange;
    // The first save happens now, so a data file that cannot be written stops the start.
    if (!stored || secrets.changed) {
      await writeAtomically(file, JSON.stringify(dataFile())).catch((error: unknown) => {
        throw new Error(`cannot write the data file ${file}: ${(error as Error).message}`);
      });
    }
    saver = created;
  }
  return {
    store,
    changes,
    auth,
    users: secrets.users,
    generatedPassword: secrets.generatedPassword,
    dataFileLoaded: stored !== undefined,
    saver,
  };
}
