// What a JWT says about itself, read without verifying it (only the server can): for
// showing when a token expires, never for trusting it. The token itself is never shown.

export interface TokenClaims {
  /** Epoch ms of `exp`, `iat`. */
  expiresAt?: number;
  issuedAt?: number;
  subject?: string;
  issuer?: string;
}

/** The registered claims of a JWT, or undefined when the token is not one (an opaque token). */
export function jwtClaims(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  let claims: Record<string, unknown>;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    claims = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const time = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value * 1000 : undefined);
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const result: TokenClaims = {};
  const [expiresAt, issuedAt, subject, issuer] = [time(claims.exp), time(claims.iat), text(claims.sub), text(claims.iss)];
  if (expiresAt !== undefined) result.expiresAt = expiresAt;
  if (issuedAt !== undefined) result.issuedAt = issuedAt;
  if (subject !== undefined) result.subject = subject;
  if (issuer !== undefined) result.issuer = issuer;
  return result;
}
