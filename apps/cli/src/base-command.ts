import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DtmClient, Task } from '@dtm/sdk';
import { type Connection, connect } from './lib/client.js';
import { type SettingName, readConfigFile, resolveSetting, settings as settingDefinitions } from './lib/config.js';
import type { CredentialStore } from './lib/credentials.js';
import { CliError, ExitCode, usageError } from './lib/errors.js';
import { describeError } from './lib/describe-error.js';
import type { Kind, RecordOf } from './lib/offline/local-copy.js';
import type { QueuedChange } from './lib/offline/outbox.js';
import { dataDir } from './lib/paths.js';
import { isUnreachable } from './lib/sdk-errors.js';
import { checkTaskRef } from './lib/tasks/values.js';
import { parseFields, selectFields } from './lib/render/json.js';
import { type Colors, colorsFor } from './lib/render/style.js';

/** Whether changes were ever queued offline here (outbox.ndjson; checked without loading the outbox module). */
function hasOutbox(dir: string): boolean {
  return existsSync(join(dir, 'outbox.ndjson'));
}

export type Flags<T extends typeof Command> = Interfaces.InferredFlags<(typeof DtmCommand)['baseFlags'] & T['flags']>;
/** Reads one collection of the local copy (throws when there is none). */
export type LocalLoader = <K extends Kind>(kind: K) => Promise<RecordOf<K>[]>;
export type Args<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** Settings every command resolves: flag > env > config file > default. */
export interface Settings {
  apiUrl: string;
  timeoutMs: number;
  authTimeoutMs: number;
  fallbackEnabled: boolean;
  credentialStore: 'auto' | 'keychain' | 'file';
}

function durationMs(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  const amount = Number(match?.[1] ?? value);
  const unit = match?.[2] ?? 's';
  return Math.round(unit === 'ms' ? amount : unit === 'm' ? amount * 60_000 : amount * 1000);
}

/**
 * The base of every `dtm` command: the global flags, settings resolution, `--json` output
 * with field selection, and one place that turns any error into one line, a hint and an
 * exit code (0 ok, 1 failure, 2 usage, 3 partial, 4 authentication needed).
 */
export abstract class DtmCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    'api-url': Flags.string({
      helpGroup: 'GLOBAL',
      description: 'Base URL of the DTM API [env: DTM_API_URL] (default http://127.0.0.1:8000)',
    }),
    timeout: Flags.string({
      helpGroup: 'GLOBAL',
      description: 'Time limit of each request attempt, e.g. 10s or 500ms [env: DTM_REQUEST_TIMEOUT]',
    }),
    json: Flags.boolean({
      helpGroup: 'GLOBAL',
      description: 'Print one JSON document on stdout and nothing else; `--json id,title` keeps only those fields',
    }),
    'no-color': Flags.boolean({ helpGroup: 'GLOBAL', description: 'Plain text without colours (also NO_COLOR)' }),
    debug: Flags.boolean({ helpGroup: 'GLOBAL', description: 'Print HTTP timings and stack traces on stderr' }),
    offline: Flags.boolean({
      helpGroup: 'GLOBAL',
      description: 'Work on the local copy without calling the API: reads answer from it, task changes are queued for `dtm sync` (exit code 3)',
    }),
    api: Flags.boolean({
      helpGroup: 'GLOBAL',
      description: 'Always ask the API: fail rather than answer from the local copy when it is unreachable',
    }),
  };

  /**
   * The command can answer from the local copy (or queue its change there) when the API is
   * unreachable: its client then fails over at once instead of retrying (see connect()).
   */
  static canFallBack = false;

  /** Fields `--json` may select, for commands that print resources. */
  static jsonFields: readonly string[] = [];

  protected flags!: Flags<T>;
  /** False until init() has parsed the command line; catch() may run before that. */
  #parsed = false;
  protected args!: Args<T>;
  protected settings!: Settings;
  /** Fields selected with `--json a,b`, or undefined for everything. */
  protected fields: string[] | undefined;
  protected colors!: Colors;
  #connection: Connection | undefined;
  /** Set when the answer came from the local copy: when it was synced, and why. */
  #local: { lastSync: string; reason: string } | undefined;
  /** Writes to the local copy, one after the other (each is a read-modify-write of a file). */
  #copyWrites: Promise<void> = Promise.resolve();

  /** True when stdout is a terminal (tables and colours), false when piped. */
  protected get tty(): boolean {
    return process.stdout.isTTY;
  }

  protected get json(): boolean {
    return this.flags.json;
  }

  override async init(): Promise<void> {
    await super.init();
    this.#extractFields();
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof DtmCommand).baseFlags,
      enableJsonFlag: false,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as Flags<T>;
    this.args = args as Args<T>;
    this.#parsed = true;
    this.colors = colorsFor(process.stdout, this.flags['no-color']);
    if (this.flags.offline && this.flags.api) {
      throw usageError('--offline and --api cannot be used together.', '--offline answers from the local copy; --api never does.');
    }
    const file = await readConfigFile();
    // `dtm config …` must work even when a saved value is bad, or it could not fix it.
    const lenient = this.id?.startsWith('config:') ?? false;
    const setting = (name: SettingName, flag?: string): string => {
      try {
        return resolveSetting(name, flag, file).value;
      } catch (error) {
        if (!lenient) throw error;
        return settingDefinitions[name].default;
      }
    };
    this.settings = {
      apiUrl: setting('api-url', this.flags['api-url']).replace(/\/+$/, ''),
      timeoutMs: durationMs(setting('timeout', this.flags.timeout)),
      authTimeoutMs: durationMs(setting('auth-timeout')),
      fallbackEnabled: setting('fallback-enabled') === 'true',
      credentialStore: setting('credential-store') as Settings['credentialStore'],
    };
  }

  /** `--json id,title` → `--json` plus the selected fields (checked against `jsonFields`). */
  #extractFields(): void {
    const known = (this.ctor as typeof DtmCommand).jsonFields;
    const argv = this.argv;
    for (let index = 0; index < argv.length; index++) {
      const token = argv[index] ?? '';
      if (token === '--') break;
      if (token.startsWith('--json=')) {
        this.fields = parseFields(token.slice('--json='.length), known);
        argv.splice(index, 1, '--json');
        return;
      }
      const next = argv[index + 1];
      if (token === '--json' && next !== undefined && /^[a-z_]+(,[a-z_]+)*$/.test(next)) {
        const names = next.split(',');
        if (names.every((name) => known.includes(name))) {
          this.fields = names;
          argv.splice(index + 1, 1);
        }
        return;
      }
    }
  }

  /**
   * The SDK client, connected on first use. Changes queued offline go first (unless another
   * `dtm` is sending them right now), so that they reach the server before this command's own.
   */
  protected async client(): Promise<DtmClient> {
    const { client } = await this.connection();
    if (!this.#sentQueued) {
      this.#sentQueued = true;
      await this.#sendQueued(client);
    }
    return client;
  }

  #sentQueued = false;
  /** Asks the user about a change about to be queued (task delete on a terminal). */
  #confirmQueued: ((task: Task) => Promise<void>) | undefined;

  async #sendQueued(client: DtmClient): Promise<void> {
    const dir = dataDir();
    if (!hasOutbox(dir)) return;
    const { syncIfIdle } = await import('./lib/offline/sync.js');
    try {
      const report = await syncIfIdle(client, this.settings.apiUrl, dir);
      if (report === undefined || report.applied + report.conflicts.length === 0) return;
      let line = `Sent ${report.applied} change${report.applied === 1 ? '' : 's'} queued offline`;
      if (report.conflicts.length > 0) line += `; ${report.conflicts.length} conflict${report.conflicts.length === 1 ? '' : 's'}: see \`dtm sync --conflicts\``;
      if (report.remaining > 0) line += `; ${report.remaining} still queued`;
      this.note(`${line}.`);
    } catch (error) {
      // This command's own call reports the same trouble, more to the point.
      this.debugLine(`could not send the changes queued offline: ${describeError(error).message}`);
    }
  }

  /**
   * The task id the user typed: a server id, or the temporary id of a task created offline —
   * mapped to the server's id once `dtm sync` has sent it.
   */
  protected async taskRef(value: string): Promise<string> {
    const id = checkTaskRef(value, 'ID');
    if (!id.startsWith('TASK-L')) return id;
    const { readIds } = await import('./lib/offline/outbox.js');
    return (await readIds(dataDir()))[id] ?? id;
  }

  /**
   * A task change: sent to the API with `idempotencyKey`, or — with --offline, or when the API is
   * unreachable and fallback is on — appended to the outbox (fsync'd) and applied to the local
   * copy, to be sent by `dtm sync`. Answers the task as it is now (null once deleted); a queued
   * change prints a note on stderr, marks the JSON as local and exits with code 3.
   */
  protected async changeTask(
    change: QueuedChange,
    send: (client: DtmClient, target: string, idempotencyKey: string) => Promise<Task | null>,
    options: { confirmQueued?: (task: Task) => Promise<void> } = {},
  ): Promise<Task | null> {
    this.#confirmQueued = options.confirmQueued;
    const key = randomUUID();
    if (this.flags.offline) return this.#queue(change, key, '--offline');
    try {
      const client = await this.client();
      // After the queued changes went out, a task created offline may have its server id now.
      const target = change.action === 'create' ? change.target : await this.taskRef(change.target);
      if (change.action !== 'create') {
        if (target.startsWith('TASK-L')) return await this.#queue(change, key, `${target} is not on the server yet`);
        // Changes of a task reach the server in the order they were made: behind any still queued
        // (e.g. while another `dtm` is sending the outbox).
        if (await this.#stillQueued(target)) return await this.#queue(change, key, `earlier changes of ${target} are still queued`);
      }
      return await send(client, target, key);
    } catch (error) {
      if (!isUnreachable(error) || this.flags.api || !this.settings.fallbackEnabled) throw error;
      return this.#queue(change, key, `the API at ${this.settings.apiUrl} is unreachable`, error);
    }
  }

  async #stillQueued(taskId: string): Promise<boolean> {
    const dir = dataDir();
    if (!hasOutbox(dir)) return false;
    const { pending, readIds } = await import('./lib/offline/outbox.js');
    const ids = await readIds(dir);
    return (await pending(dir)).some((entry) => (ids[entry.target] ?? entry.target) === taskId);
  }

  async #queue(change: QueuedChange, key: string, reason: string, apiError?: unknown): Promise<Task | null> {
    if (this.#confirmQueued !== undefined) {
      const { readCollection } = await import('./lib/offline/local-copy.js');
      const known = (await readCollection('tasks').catch(() => undefined))?.records.find((task) => task.id === change.target);
      if (known !== undefined) await this.#confirmQueued(known);
    }
    const [task = null] = await this.queueTaskChanges([change], reason, apiError, key);
    return task;
  }

  /**
   * Appends task changes to the outbox (fsync'd, under the lock every `dtm` shares) and applies
   * them to the local copy; answers each task as it is now (null once deleted). Notes the
   * change on stderr; the output is then marked local, with exit code 3.
   */
  protected async queueTaskChanges(changes: readonly QueuedChange[], reason: string, apiError?: unknown, key?: string): Promise<(Task | null)[]> {
    await this.#copyWrites;
    const [copy, outbox, { applyLocally }] = await Promise.all([
      import('./lib/offline/local-copy.js'),
      import('./lib/offline/outbox.js'),
      import('./lib/offline/sync.js'),
    ]);
    const dir = dataDir();
    const apiUrl = this.settings.apiUrl;
    const { results, queued, lastSync } = await outbox.withOutboxLock(dir, async () => {
      // Changes are queued only for an API this CLI has a local copy of: a mistyped --api-url
      // must not queue changes for a server that does not exist (nor replace the copy).
      if ((await copy.ownerOf()) !== apiUrl) {
        const hint = `Nothing was synced from ${apiUrl} to the local copy yet, so changes to it cannot be queued: run a command while it is reachable first.`;
        if (apiError !== undefined) throw new CliError(describeError(apiError).message, { hint, code: 'unreachable', cause: apiError });
        throw new CliError(`There is no local copy of ${apiUrl}.`, { hint, code: 'no_local_copy' });
      }
      const collection = await copy.readCollection('tasks');
      const tasks = new Map((collection?.records ?? []).map((task) => [task.id, task]));
      const now = new Date().toISOString();
      const answers: (Task | null)[] = [];
      for (const change of changes) {
        const current = tasks.get(change.target);
        if (change.action !== 'create' && current === undefined) {
          const hint = 'Only tasks in the local copy can be changed offline: those read or written while the API was reachable, or created offline.';
          if (apiError !== undefined) throw new CliError(describeError(apiError).message, { hint, code: 'unreachable', cause: apiError });
          throw new CliError(`${change.target} is not in the local copy, so it cannot be changed offline.`, { hint, code: 'not_found' });
        }
        // The version the change was made on: the one the user expected (--expect-version), else the local copy's.
        const based = change.action === 'create' || current === undefined ? change : { base_version: current.version, ...change };
        await outbox.append(dir, outbox.newEntry(based, apiUrl, changes.length === 1 ? key : undefined));
        outbox.crashPoint('append:written');
        const next = applyLocally(current, change, now);
        if (next === null) tasks.delete(change.target);
        else tasks.set(next.id, next);
        answers.push(next);
      }
      // The outbox holds the changes now; the local copy is a cache, so a failure here loses
      // nothing. Its "Last Sync" stays the time it was last in step with the API.
      const synced = collection?.lastSync ?? now;
      try {
        await copy.replaceAll('tasks', [...tasks.values()], { now: () => new Date(synced) });
      } catch (error) {
        this.debugLine(`could not apply the change to the local copy: ${error instanceof Error ? error.message : String(error)}`);
      }
      return { results: answers, queued: (await outbox.pending(dir)).length, lastSync: synced };
    });
    this.#local = { lastSync, reason };
    process.stderr.write(
      `${colorsFor(process.stderr, this.flags['no-color']).yellow(`Offline: queued (${reason}); ${queued} change${queued === 1 ? '' : 's'} waiting for \`dtm sync\`.`)}\n`,
    );
    return results;
  }

  /** True once the command answered from the local copy (or queued its changes there). */
  protected get answeredLocally(): boolean {
    return this.#local !== undefined;
  }

  protected async credentials(): Promise<CredentialStore> {
    return (await this.connection()).credentials;
  }

  protected async connection(): Promise<Connection> {
    if (this.flags.offline) {
      throw usageError(
        `--offline: \`dtm ${(this.id ?? '').replaceAll(':', ' ')}\` needs the API.`,
        'Offline, task, project and sprint list and show answer from the local copy, and task create, update, complete and delete are queued for `dtm sync`.',
      );
    }
    this.#connection ??= await connect({
      apiUrl: this.settings.apiUrl,
      timeoutMs: this.settings.timeoutMs,
      authTimeoutMs: this.settings.authTimeoutMs,
      credentialStore: this.settings.credentialStore,
      // As readThrough and changeTask decide: an unreachable API is answered from the local copy.
      fallback: (this.ctor as typeof DtmCommand).canFallBack && this.settings.fallbackEnabled && !this.flags.api,
      debug: (line) => {
        this.debugLine(line);
      },
      dataDir: dataDir(),
    });
    return this.#connection;
  }

  /** A line on stderr under --debug only. */
  protected debugLine(line: string): void {
    if (this.flags.debug) process.stderr.write(`${this.colors.dim(`debug: ${line}`)}\n`);
  }

  /**
   * Refreshes the local copy with what the API returned, after the command's output (the
   * command ends once it is written; see finally). Never fails the command: a problem writing
   * the copy is a --debug line. `replace` makes these records the whole collection (for a
   * listing of everything).
   */
  protected remember<K extends Kind>(kind: K, records: readonly RecordOf<K>[], options: { replace?: boolean } = {}): void {
    this.#updateCopy(`save ${records.length} ${kind}`, async (copy) => {
      await (options.replace ? copy.replaceAll(kind, records) : copy.upsert(kind, records));
    });
  }

  /** Drops deleted records from the local copy; never fails the command. */
  protected forget(kind: Kind, ids: readonly string[]): void {
    this.#updateCopy(`drop ${ids.join(', ')}`, (copy) => copy.remove(kind, ids));
  }

  /** Changes fields of records already in the local copy (others are left out); never fails the command. */
  protected patchRemembered<K extends Kind>(kind: K, ids: readonly string[], patch: Partial<RecordOf<K>>): void {
    this.#updateCopy(`update ${ids.length} ${kind}`, async (copy) => {
      const wanted = new Set(ids);
      const current = (await copy.readCollection(kind))?.records ?? [];
      const changed = current.filter((record) => wanted.has(record.id)).map((record) => ({ ...record, ...patch }));
      if (changed.length > 0) await copy.upsert(kind, changed);
    });
  }

  #updateCopy(what: string, change: (copy: typeof import('./lib/offline/local-copy.js')) => Promise<void>): void {
    // With fallback off nothing answers from the copy, so it is not kept (it costs a rewrite of the file per command).
    if (!this.settings.fallbackEnabled) return;
    const apiUrl = this.settings.apiUrl;
    // Started after the output is written: the next turn of the event loop at the earliest.
    this.#copyWrites = this.#copyWrites.then(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const [copy, { withOutboxLock }] = await Promise.all([import('./lib/offline/local-copy.js'), import('./lib/offline/outbox.js')]);
        await withOutboxLock(dataDir(), async () => {
          await copy.claimFor(apiUrl);
          await change(copy);
        });
      } catch (error) {
        this.debugLine(`could not ${what} in the local copy: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  /** The command is done once the local copy is refreshed. */
  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.#copyWrites;
    return super.finally(error);
  }

  /**
   * A read that may be answered from the local copy: with --offline at once; otherwise from
   * the API, and from the local copy when the API is unreachable and fallback is on (not with
   * --api). A local answer prints a note on stderr, marks the JSON and exits with code 3.
   */
  protected async readThrough<R>(
    fromApi: () => Promise<R>,
    fromLocal: (load: LocalLoader) => Promise<R>,
    options: { localOnly?: string } = {},
  ): Promise<R> {
    if (this.flags.offline) return this.#answerLocally(fromLocal, undefined);
    if (options.localOnly !== undefined) return this.#answerLocally(fromLocal, undefined, options.localOnly);
    try {
      return await fromApi();
    } catch (error) {
      if (!isUnreachable(error) || this.flags.api || !this.settings.fallbackEnabled) throw error;
      return this.#answerLocally(fromLocal, error);
    }
  }

  async #answerLocally<R>(
    fromLocal: (load: LocalLoader) => Promise<R>,
    apiError: unknown,
    reason = apiError === undefined ? '--offline' : `the API at ${this.settings.apiUrl} is unreachable`,
  ): Promise<R> {
    await this.#copyWrites;
    const copy = await import('./lib/offline/local-copy.js');
    const apiUrl = this.settings.apiUrl;
    const synced: string[] = [];
    const load: LocalLoader = async (kind) => {
      const collection = (await copy.ownerOf()) === apiUrl ? await copy.readCollection(kind) : undefined;
      if (collection === undefined) {
        const hint = `Nothing was synced from ${apiUrl} to the local copy yet: run a command while the API is reachable first (e.g. \`dtm ${kind === 'tasks' ? 'task' : kind.slice(0, -1)} list --all\`).`;
        if (apiError === undefined) {
          throw new CliError(`There is no local copy of the ${kind} of ${apiUrl}.`, { hint, code: 'no_local_copy' });
        }
        throw new CliError(describeError(apiError).message, { hint, code: 'unreachable', cause: apiError });
      }
      synced.push(collection.lastSync);
      return collection.records;
    };
    const result = await fromLocal(load);
    const lastSync = synced.sort()[0] ?? new Date().toISOString();
    this.#local = { lastSync, reason };
    process.stderr.write(`${colorsFor(process.stderr, this.flags['no-color']).yellow(`Offline: answered from the local copy of ${lastSync} (${reason}).`)}\n`);
    return result;
  }

  /** The error for a record the local copy does not hold. */
  protected notInLocalCopy(id: string): CliError {
    return new CliError(`${id} is not in the local copy.`, {
      code: 'not_found',
      hint: 'Only what the CLI has read or written while the API was reachable is in the local copy.',
    });
  }

  /**
   * Prints a result: the JSON document (with the selected fields) under `--json`, else
   * what `text` renders. Nothing else ever goes to stdout under `--json`.
   */
  protected print<R>(result: R, text: (result: R) => string): void {
    if (this.json) {
      let document = selectFields(result, this.fields);
      // An answer from the local copy says so; a list (--all) stays a list (the exit code and the note mark it).
      if (this.#local && typeof document === 'object' && document !== null && !Array.isArray(document)) {
        document = { ...document, source: 'local', last_sync: this.#local.lastSync };
      }
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      const rendered = text(result);
      if (rendered !== '') process.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
    }
    if (this.#local) this.exit(ExitCode.partial);
  }

  /** A note for a person (stderr), never mixed into the data on stdout. */
  protected note(message: string): void {
    if (!this.json) process.stderr.write(`${message}\n`);
  }

  override catch(error: Error & { exitCode?: number }): Promise<never> {
    // oclif's own exit (this.exit) and help/version requests pass through untouched.
    if (error instanceof Errors.ExitError) throw error;
    const described = describeError(error);
    const json = this.#parsed ? this.json : this.argv.some((token) => token === '--json' || token.startsWith('--json='));
    const debug = this.#parsed ? this.flags.debug : this.argv.includes('--debug');
    if (json) {
      process.stdout.write(`${JSON.stringify({ error: described.json }, null, 2)}\n`);
    } else {
      const colors = this.#parsed ? colorsFor(process.stderr, this.flags['no-color']) : colorsFor(process.stderr, true);
      let text = `${colors.red('Error:')} ${described.message}\n`;
      if (described.hint) text += `${colors.dim('Hint:')} ${described.hint}\n`;
      process.stderr.write(text);
    }
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return this.exit(described.exitCode);
  }
}

export { CliError, ExitCode };
