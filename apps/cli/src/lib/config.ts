import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactUrl } from '@dtm/sdk/redact';
import { CliError, usageError } from './errors.js';
import { writeFileAtomically } from './files.js';
import { configDir } from './paths.js';

/** The settings `dtm config` knows, with their env variable, default and check. */
export const settings = {
  'api-url': {
    env: 'DTM_API_URL',
    default: 'http://127.0.0.1:8000',
    description: 'Base URL of the DTM API',
    check: (value: string) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return 'must be an absolute URL such as http://127.0.0.1:8000';
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
      // fetch refuses such URLs, and they would end up in messages; dtm logs in with `dtm auth login`.
      return url.username || url.password ? 'must not contain a user name or password (log in with `dtm auth login`)' : undefined;
    },
  },
  timeout: {
    env: 'DTM_REQUEST_TIMEOUT',
    default: '10s',
    description: 'Time limit of each request attempt (10, 10s, 500ms)',
    check: checkDuration,
  },
  'auth-timeout': {
    env: 'DTM_AUTH_TIMEOUT',
    default: '5s',
    description: 'Time limit of login, refresh and health checks, and of each attempt of a command that can fall back to the local copy',
    check: checkDuration,
  },
  'fallback-enabled': {
    env: 'DTM_FALLBACK_ENABLED',
    default: 'true',
    description: 'Answer reads from the local copy when the API is unreachable',
    check: (value: string) => (['true', 'false'].includes(value) ? undefined : 'must be true or false'),
  },
  'credential-store': {
    env: 'DTM_CREDENTIAL_STORE',
    default: 'auto',
    description: 'Where tokens are kept: auto (keychain if available), keychain or file',
    check: (value: string) => (['auto', 'keychain', 'file'].includes(value) ? undefined : 'must be auto, keychain or file'),
  },
} as const satisfies Record<string, Setting>;

interface Setting {
  env: string;
  default: string;
  description: string;
  check: (value: string) => string | undefined;
}

export type SettingName = keyof typeof settings;
export type ConfigFile = Partial<Record<SettingName, string>>;
export type Source = 'flag' | 'env' | 'config' | 'default';

/** `10`, `10s`, `500ms`, `2m`, `1h`: a number and an optional unit (seconds when none). */
const durationPattern = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;

function checkDuration(value: string): string | undefined {
  return durationMs(value) > 0
    ? undefined
    : 'must be a duration greater than zero, like 10, 10s or 500ms';
}

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(settings, name);
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

/** Reads the config file; a missing file is an empty config, a broken one an error that says where. */
export async function readConfigFile(env: NodeJS.ProcessEnv = process.env): Promise<ConfigFile> {
  const path = configPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CliError(`The config file ${path} is not valid JSON.`, { hint: `Fix it, or delete it to start over.`, code: 'config' });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CliError(`The config file ${path} must hold a JSON object.`, { hint: 'Fix it, or delete it to start over.', code: 'config' });
  }
  const config: ConfigFile = {};
  for (const [name, value] of Object.entries(data)) {
    if (isSettingName(name) && typeof value === 'string') config[name] = value;
  }
  return config;
}

export async function writeConfigFile(config: ConfigFile, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await mkdir(configDir(env), { recursive: true, mode: 0o700 });
  writeFileAtomically(configPath(env), `${JSON.stringify(config, null, 2)}\n`, 0o600);
}

/** Checks a value for a setting; throws a usage error naming the setting. */
export function checkSetting(name: string, value: string, from: string): void {
  if (!isSettingName(name)) {
    throw usageError(`Unknown setting "${name}".`, `Known settings: ${Object.keys(settings).join(', ')}.`);
  }
  const problem = settings[name].check(value);
  if (problem !== undefined) throw usageError(`${from} ${problem}, got "${redactUrl(value)}".`);
}

export interface Resolved {
  value: string;
  source: Source;
}

/** A setting's value by precedence: flag > env > config file > default. */
export function resolveSetting(
  name: SettingName,
  flag: string | undefined,
  file: ConfigFile,
  env: NodeJS.ProcessEnv = process.env,
): Resolved {
  const setting = settings[name];
  if (flag !== undefined) {
    checkSetting(name, flag, `--${name}`);
    return { value: flag, source: 'flag' };
  }
  const fromEnv = env[setting.env];
  if (fromEnv !== undefined && fromEnv !== '') {
    checkSetting(name, fromEnv, setting.env);
    return { value: fromEnv, source: 'env' };
  }
  const fromFile = file[name];
  if (fromFile !== undefined) {
    checkSetting(name, fromFile, `${name} in ${configPath(env)}`);
    return { value: fromFile, source: 'config' };
  }
  return { value: setting.default, source: 'default' };
}

/** The settings that have a global flag of the same name (`--api-url`, `--timeout`). */
export const flagSettings = ['api-url', 'timeout'] as const satisfies readonly SettingName[];

export interface SettingReport extends Resolved {
  key: SettingName;
  env: string;
  default: string;
  description: string;
}

/** Every setting with its value and where the value comes from, in the order of `settings`. */
export function resolveAll(
  flags: Partial<Record<SettingName, string | undefined>>,
  file: ConfigFile,
  env: NodeJS.ProcessEnv = process.env,
): SettingReport[] {
  return (Object.keys(settings) as SettingName[]).map((key) => ({
    key,
    ...resolveSetting(key, flags[key], file, env),
    env: settings[key].env,
    default: settings[key].default,
    description: settings[key].description,
  }));
}

/** A usage error unless `name` is a known setting. */
export function checkSettingName(name: string): SettingName {
  if (!isSettingName(name)) {
    throw usageError(`Unknown setting "${name}".`, `Known settings: ${Object.keys(settings).join(', ')}.`);
  }
  return name;
}

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** A duration as settings and flags spell it (`10s`, `500ms`, `2m`, `1h`, a bare number of seconds) in ms; NaN when it is none. */
export function durationMs(value: string): number {
  const match = durationPattern.exec(value);
  if (!match) return Number.NaN;
  return Math.round(Number(match[1]) * unitMs[(match[2] ?? 's') as keyof typeof unitMs]);
}
