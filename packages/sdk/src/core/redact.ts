// Secrets never reach hooks, logs or error messages in clear.
const secretHeaders = new Set(['authorization', 'cookie', 'set-cookie', 'proxy-authorization']);
const secretFields = new Set(['password', 'access_token', 'refresh_token', 'token', 'secret']);
export const redacted = '[REDACTED]';

/** Copies headers to a plain object with secret values replaced. */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    result[lower] = secretHeaders.has(lower) ? redactAuthorization(value) : value;
  }
  return result;
}

/** Keeps the scheme (`Bearer`) so logs still say how the caller authenticated. */
function redactAuthorization(value: string): string {
  const space = value.indexOf(' ');
  return space > 0 ? `${value.slice(0, space)} ${redacted}` : redacted;
}

/** Deep-copies a JSON value with secret fields replaced. */
export function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    result[key] = secretFields.has(key.toLowerCase()) ? redacted : redactBody(field);
  }
  return result;
}

/**
 * A URL as it may be shown: a user name or password in it (`https://alice:pw@host`,
 * `https://TOKEN@host`) replaced by `[REDACTED]`. Text that is not a URL is redacted the same
 * way wherever it holds `//…@`.
 */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/)[^/?#@]*@/g, `$1${redacted}@`);
}
