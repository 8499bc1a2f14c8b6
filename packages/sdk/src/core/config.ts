import { ConfigurationError } from './errors.js';
import { redactUrl } from './redact.js';

export const defaultBaseUrl = 'http://127.0.0.1:8000';
export const defaultTimeoutMs = 10_000;
/** 32 MiB: far above any page of the API, far below what would strain a process. */
export const defaultMaxResponseBytes = 33_554_432;

export type Env = Readonly<Record<string, string | undefined>>;

/** `process.env` where there is one (Node), an empty map elsewhere (browsers, workers). */
export function processEnv(): Env {
  const maybeProcess = (globalThis as { process?: { env?: Env } }).process;
  return maybeProcess?.env ?? {};
}

/**
 * Parses a duration such as `10`, `10s`, `1.5s`, `500ms` or `2m` into milliseconds.
 * A bare number means seconds, as in the brief's `DTM_REQUEST_TIMEOUT=10`.
 */
export function parseDuration(value: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  if (!match) {
    throw new ConfigurationError(`${name} must be a duration like 10, 10s or 500ms, got "${value}"`, '');
  }
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  const ms = unit === 'ms' ? amount : unit === 's' ? amount * 1000 : amount * 60_000;
  if (ms <= 0) throw new ConfigurationError(`${name} must be greater than zero, got "${value}"`, '');
  return Math.round(ms);
}

/**
 * Checks a base URL and drops a trailing slash, so paths can be appended as they are. A URL
 * with a user name or password is refused (the API takes a bearer token, and fetch refuses
 * such URLs); no message ever shows what is in it.
 */
export function normalizeBaseUrl(value: string, name: string): string {
  const shown = redactUrl(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${name} is not a URL: "${shown}"`, 'Use a form like http://127.0.0.1:8000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${name} must use http or https, got "${url.protocol}"`, '');
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      `${name} must not contain a user name or password: "${shown}"`,
      'The DTM API authenticates with a bearer token: log in with client.auth.login(), or pass token',
    );
  }
  if (url.search || url.hash) {
    throw new ConfigurationError(`${name} must not have a query or fragment: "${url.origin}${url.pathname}${url.search ? '?…' : '#…'}"`, '');
  }
  return url.href.replace(/\/+$/, '');
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
