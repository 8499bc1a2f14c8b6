import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import type { DtmClient } from '@dtm/sdk';
import { type Connection, connect } from './lib/client.js';
import { type SettingName, readConfigFile, resolveSetting, settings as settingDefinitions } from './lib/config.js';
import type { CredentialStore } from './lib/credentials.js';
import { CliError, ExitCode } from './lib/errors.js';
import { describeError } from './lib/describe-error.js';
import { parseFields, selectFields } from './lib/render/json.js';
import { type Colors, colorsFor } from './lib/render/style.js';

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
  };

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

  /** The SDK client, connected on first use. */
  protected async client(): Promise<DtmClient> {
    return (await this.connection()).client;
  }

  protected async credentials(): Promise<CredentialStore> {
    return (await this.connection()).credentials;
  }

  protected async connection(): Promise<Connection> {
    this.#connection ??= await connect({
      apiUrl: this.settings.apiUrl,
      timeoutMs: this.settings.timeoutMs,
      authTimeoutMs: this.settings.authTimeoutMs,
      credentialStore: this.settings.credentialStore,
      debug: (line) => {
        if (this.flags.debug) process.stderr.write(`${this.colors.dim(`debug: ${line}`)}\n`);
      },
    });
    return this.#connection;
  }

  /**
   * Prints a result: the JSON document (with the selected fields) under `--json`, else
   * what `text` renders. Nothing else ever goes to stdout under `--json`.
   */
  protected print<R>(result: R, text: (result: R) => string): void {
    if (this.json) {
      process.stdout.write(`${JSON.stringify(selectFields(result, this.fields), null, 2)}\n`);
      return;
    }
    const rendered = text(result);
    if (rendered !== '') process.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
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
