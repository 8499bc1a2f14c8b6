// What `dtm api` received for one request: the status, the response headers and the body,
// as printed (-i), cached (--cache) and merged (--paginate).

export interface ApiAnswer {
  status: number;
  /** Lower-case names in the order received; token-like values already redacted. */
  headers: [string, string][];
  /** The parsed JSON body, the text of another body, undefined for none. */
  data: unknown;
}

export const redacted = '[REDACTED]';

/** Headers whose whole value is a credential. */
const secretHeaders = /^(authorization|proxy-authorization|x-api-key|.*token.*)$/;
/** A cookie whose name says it holds a credential. */
const secretCookie = /token|session|auth|secret|jwt|key/i;

/** An answer with its headers as pairs, token-like values replaced by `[REDACTED]`. */
export function answerFrom(status: number, headers: Headers, data: unknown): ApiAnswer {
  const pairs: [string, string][] = [];
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') pairs.push([name, redactHeader(name, value)]);
  });
  // Headers joins repeated Set-Cookie lines with commas, which cookies themselves contain.
  for (const cookie of headers.getSetCookie()) pairs.push(['set-cookie', redactHeader('set-cookie', cookie)]);
  return { status, headers: pairs, data };
}

/** A response header's value as it may be shown and stored. */
export function redactHeader(name: string, value: string): string {
  if (secretHeaders.test(name)) return redacted;
  let shown = redactTokens(value);
  if (name === 'set-cookie') {
    shown = shown.replace(/^([^=;]+)=([^;]*)/, (pair, cookie: string, content: string) =>
      secretCookie.test(cookie) && content !== '' ? `${cookie}=${redacted}` : pair,
    );
  }
  return shown;
}

/** JWTs and `Bearer …`/`Basic …` credentials in a text, replaced by `[REDACTED]`. */
export function redactTokens(text: string): string {
  return text
    .replace(/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, redacted)
    .replace(/\b(Bearer|Basic|Token)\s+(?!\[REDACTED\])[^\s,;]+/gi, `$1 ${redacted}`);
}
