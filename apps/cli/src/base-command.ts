import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import type { DtmClient } from '@dtm/sdk';
import { type Connection, connect } from './lib/client.js';
import { type SettingName, durationMs, readConfigFile, resolveSetting, settings as settingDefinitions } from './lib/config.js';
import type { CredentialStore } from './lib/credentials.js';
import { CliError, ExitCode, notInLocalCopy, usageError } from './lib/errors.js';
import { describeError } from './lib/describe-error.js';
import { booleanFlagIn, normaliseBooleanFlags } from './lib/boolean-flags.js';
import { dataDir } from './lib/paths.js';
import { DataLayer, type DataLayerOptions, type PersistedBreaker, sentLine } from './lib/store/data-layer.js';
import { parseFields, selectFields } from './lib/render/json.js';
import { type Colors, colorsFor } from './lib/render/style.js';
import { safeStrings, safeText } from './lib/render/safe-text.js';
import { page } from './lib/render/pager.js';
import { type When, timeFormat } from './lib/render/time.js';

export type Flags<T extends typeof Command> = Interfaces.InferredFlags<(typeof DtmCommand)['baseFlags'] & T['flags']>;
export type Args<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** Settings every command resolves: flag > env > config file > default. */
export interface Settings {
  apiUrl: string;
  timeoutMs: number;
  authTimeoutMs: number;
  fallbackEnabled: boolean;
  credentialStore: 'auto' | 'keychain' | 'file';
}


/**
 * The base of every `dtm` command: the global flags, settings resolution, `--json` output
 * with field selection and `--jq`, and one place that turns any error into one line, a hint
 * and an exit code (see ExitCode in lib/errors.ts).
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
      description: 'Print one JSON document on stdout and nothing else; `--json id,title` keeps only those fields, `--json help` lists them',
    }),
    jq: Flags.string({
      char: 'q',
      helpGroup: 'GLOBAL',
      helpValue: 'EXPR',
      description: 'Filter the JSON output with a jq expression (implies --json; strings print without quotes)',
    }),
    'no-color': Flags.boolean({ helpGroup: 'GLOBAL', description: 'Plain text without colours (also NO_COLOR)' }),
    'no-pager': Flags.boolean({
      helpGroup: 'GLOBAL',
      description: 'Print long output on a terminal directly, not through the pager [env: DTM_PAGER, PAGER] (default less)',
    }),
    debug: Flags.boolean({ helpGroup: 'GLOBAL', description: 'Print HTTP timings and stack traces on stderr' }),
    offline: Flags.boolean({
      helpGroup: 'GLOBAL',
      description: 'Work on the local store without calling the API: reads answer from it, changes are queued for `dtm sync` (exit code 3)',
    }),
    api: Flags.boolean({
      helpGroup: 'GLOBAL',
      description: 'Always ask the API: fail rather than answer from the local store when it is unreachable',
    }),
    help: Flags.help({ char: 'h', helpGroup: 'GLOBAL', description: 'Show this help (as --help)' }),
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
  /** Every positional argument, in order (what a command with `strict = false` takes beyond its args). */
  protected positional: string[] = [];
  protected settings!: Settings;
  /** Fields selected with `--json a,b`, or undefined for everything. */
  protected fields: string[] | undefined;
  protected colors!: Colors;
  #connection: Connection | undefined;

  /** True when stdout is a terminal (tables and colours), false when piped. */
  protected get tty(): boolean {
    return process.stdout.isTTY;
  }

  /** How text output shows a timestamp: "2 hours ago" on a terminal, RFC 3339 when piped. */
  protected get when(): When {
    return timeFormat(this.tty);
  }

  /** Machine output: `--json`, or `--jq` (which filters the JSON). */
  protected get json(): boolean {
    return this.flags.json || this.flags.jq !== undefined;
  }

  override async init(): Promise<void> {
    await super.init();
    this.#normaliseBooleans();
    const listFields = this.#extractFields();
    const { args, flags, argv } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof DtmCommand).baseFlags,
      enableJsonFlag: false,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as Flags<T>;
    this.args = args as Args<T>;
    this.positional = argv as string[];
    this.#parsed = true;
    this.colors = colorsFor(process.stdout, this.flags['no-color']);
    if (listFields) this.#listFields();
    if (this.flags.jq !== undefined) await (await import('./lib/render/jq.js')).checkJq(this.flags.jq);
    if (this.flags.offline && this.flags.api) {
      throw usageError('--offline and --api cannot be used together.', '--offline answers from the local store; --api never does.');
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

  /** `--debug=false` → off, `--yes=1` → `--yes`: what oclif reads (see lib/boolean-flags.ts). */
  #normaliseBooleans(): void {
    const flags: Record<string, { type: string }> = { ...DtmCommand.baseFlags, ...this.ctor.flags };
    // --json=a,b selects fields, and --help is oclif's own.
    const names = Object.keys(flags).filter((name) => flags[name]?.type === 'boolean' && name !== 'json' && name !== 'help');
    this.argv.splice(0, this.argv.length, ...normaliseBooleanFlags(this.argv, names));
  }

  /**
   * `--json id,title` → `--json` plus the selected fields (checked against `jsonFields`).
   * True for `--json help` (or `--json=help`): list the fields instead of running.
   */
  #extractFields(): boolean {
    const known = (this.ctor as typeof DtmCommand).jsonFields;
    const argv = this.argv;
    for (let index = 0; index < argv.length; index++) {
      const token = argv[index] ?? '';
      if (token === '--') break;
      if (token.startsWith('--json=')) {
        const spec = token.slice('--json='.length);
        argv.splice(index, 1, '--json');
        if (spec === 'help') return true;
        this.fields = parseFields(spec, known);
        return false;
      }
      const next = argv[index + 1];
      if (token === '--json' && next !== undefined && /^[a-z_]+(,[a-z_]+)*$/.test(next)) {
        const names = next.split(',');
        // A list with a comma is a field list (an unknown field is an error that names the
        // known ones); a single word is one only when it is a field (else it may be an argument).
        if (next === 'help' && !known.includes(next)) {
          argv.splice(index + 1, 1);
          return true;
        }
        if (names.length > 1 || known.includes(next)) {
          this.fields = parseFields(next, known);
          argv.splice(index + 1, 1);
        }
        return false;
      }
    }
    return false;
  }

  /** `--json help`: the fields `--json a,b` can select, one per line on stdout (as `gh … --json`), then exit 0. */
  #listFields(): never {
    const known = (this.ctor as typeof DtmCommand).jsonFields;
    const name = `dtm ${(this.id ?? '').replaceAll(':', ' ')}`;
    if (known.length === 0) {
      process.stdout.write(`\`${name} --json\` prints the whole document; it has no fields to select.\n`);
    } else {
      process.stdout.write(`Fields of \`${name} --json\` (select some with --json ${known.slice(0, 2).join(',')}):\n${known.map((field) => `  ${field}\n`).join('')}`);
    }
    return this.exit(ExitCode.ok);
  }

  /** The data layer: API first, the local store when it is unreachable (see lib/store/data-layer.ts). */
  protected get data(): DataLayer {
    this.#data ??= this.newDataLayer();
    return this.#data;
  }

  /**
   * A data layer of its own; it says on stderr what `onLocal` and `onSent` do not take over.
   * `dtm mcp` makes one per tool call, each with a connection of its own (`ownConnection`), as a
   * new `dtm` process would have: the session as the credential store holds it now, and the
   * circuit breaker as the store keeps it (an open one probes at the call's first request).
   */
  protected newDataLayer(hooks: Partial<Pick<DataLayerOptions, 'onLocal' | 'onSent'>> = {}, options: { ownConnection?: boolean } = {}): DataLayer {
    return new DataLayer({
      apiUrl: this.settings.apiUrl,
      dataDir: dataDir(),
      fallbackEnabled: this.settings.fallbackEnabled,
      offline: this.flags.offline,
      forceApi: this.flags.api,
      connect: async (breaker) => (options.ownConnection === true ? await this.#connect(breaker) : await this.connection(breaker)).client,
      onLocal: (local) => {
        const paint = colorsFor(process.stderr, this.flags['no-color']).yellow;
        const line =
          local.queued === undefined
            ? `Offline: answered from the local copy of ${local.lastSync} (${local.reason}).`
            : `Offline: queued (${local.reason}); ${local.queued} change${local.queued === 1 ? '' : 's'} waiting for \`dtm sync\`.`;
        process.stderr.write(`${paint(line)}\n`);
      },
      onSent: (report) => {
        const line = sentLine(report);
        if (line !== undefined) this.note(line);
      },
      debug: (line) => {
        this.debugLine(line);
      },
      ...hooks,
    });
  }

  #data: DataLayer | undefined;

  /** The SDK client; changes queued offline are sent first. */
  protected client(): Promise<DtmClient> {
    return this.data.client();
  }

  protected async credentials(): Promise<CredentialStore> {
    return (await this.connection()).credentials;
  }

  protected async connection(breaker?: PersistedBreaker): Promise<Connection> {
    if (this.flags.offline) {
      throw usageError(
        `--offline: \`dtm ${(this.id ?? '').replaceAll(':', ' ')}\` needs the API.`,
        'Offline, list and show answer from the local store, and changes of tasks, projects and sprints are queued for `dtm sync`.',
      );
    }
    this.#connection ??= await this.#connect(breaker);
    return this.#connection;
  }

  #connect(breaker: PersistedBreaker | undefined): Promise<Connection> {
    return connect({
      apiUrl: this.settings.apiUrl,
      timeoutMs: this.settings.timeoutMs,
      authTimeoutMs: this.settings.authTimeoutMs,
      credentialStore: this.settings.credentialStore,
      // An unreachable API is answered from the local store: fail over at once rather than retry.
      fallback: (this.ctor as typeof DtmCommand).canFallBack && this.settings.fallbackEnabled && !this.flags.api,
      debug: (line) => {
        this.debugLine(line);
      },
      breaker,
    });
  }

  /** A line on stderr under --debug only. */
  protected debugLine(line: string): void {
    if (this.flags.debug) process.stderr.write(`${this.colors.dim(`debug: ${safeText(line)}`)}\n`);
  }

  /** The command is done once the store is closed (the CSV mirror is written in the background) and the output is out. */
  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.#data?.finish();
    // oclif ends the process with process.exit() for a non-zero exit code, which would cut off
    // what is still on its way into a pipe (a large `--json` answered locally, exit 3).
    await new Promise((resolve) => process.stdout.write('', resolve));
    await new Promise((resolve) => process.stderr.write('', resolve));
    return super.finally(error);
  }

  /** The error for a record the local store does not hold. */
  protected notInLocalCopy(id: string): CliError {
    return notInLocalCopy(id);
  }

  /**
   * Prints a result: the JSON document (with the selected fields) under `--json`, else
   * what `text` renders. Nothing else ever goes to stdout under `--json`.
   */
  protected async print<R>(result: R, text: (result: R) => string): Promise<void> {
    if (this.json) {
      let document = selectFields(result, this.fields);
      // An answer from the local copy says so; a list (--all) stays a list (the exit code and the note mark it).
      if (this.#data?.local && typeof document === 'object' && document !== null && !Array.isArray(document)) {
        document = { ...document, source: 'local', last_sync: this.#data.local.lastSync };
      }
      const { jq } = this.flags;
      if (jq === undefined) {
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      } else {
        const { runJq } = await import('./lib/render/jq.js');
        process.stdout.write(await runJq(document, jq, this.tty));
      }
    } else {
      // Text from the server reaches the terminal with its control characters shown, not obeyed.
      const rendered = text(safeStrings(result));
      if (rendered !== '') await page(rendered.endsWith('\n') ? rendered : `${rendered}\n`, { enabled: !this.flags['no-pager'] });
    }
    if (this.#data?.local) this.exit(ExitCode.partial);
  }

  /** A note for a person (stderr), never mixed into the data on stdout. */
  protected note(message: string): void {
    if (!this.json) process.stderr.write(`${message}\n`);
  }

  override catch(error: Error & { exitCode?: number }): Promise<never> {
    // oclif's own exit (this.exit) and help/version requests pass through untouched.
    if (error instanceof Errors.ExitError) throw error;
    const described = describeError(error);
    // Before (or without) a parsed command line, read the flags as the parser would have.
    const end = this.argv.indexOf('--');
    const options = end === -1 ? this.argv : this.argv.slice(0, end);
    // A JSON error document for `--json` (with or without `--jq`); `--jq` alone gets the error on stderr, as in `gh`.
    const json = this.#parsed ? this.flags.json : options.some((token) => token === '--json' || token.startsWith('--json='));
    const debug = this.#parsed ? this.flags.debug : booleanFlagIn(this.argv, 'debug');
    if (json) {
      process.stdout.write(`${JSON.stringify({ error: described.json }, null, 2)}\n`);
    } else {
      const colors = this.#parsed ? colorsFor(process.stderr, this.flags['no-color']) : colorsFor(process.stderr, true);
      let text = `${colors.red('Error:')} ${safeText(described.message)}\n`;
      if (described.hint) text += `${colors.dim('Hint:')} ${safeText(described.hint)}\n`;
      process.stderr.write(text);
    }
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return this.exit(described.exitCode);
  }
}

export { CliError, ExitCode };
