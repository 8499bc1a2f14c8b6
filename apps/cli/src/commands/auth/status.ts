import { Flags } from '@oclif/core';
import type { TokenSet, User } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { describeExpiry, maskToken, notLoggedIn, tokenExpiry } from '../../lib/credentials.js';
import { describeError } from '../../lib/describe-error.js';
import { CliError, ExitCode } from '../../lib/errors.js';
import { jwtClaims } from '../../lib/jwt.js';
import { details } from '../../lib/render/table.js';
import { isAuthenticationError, isUnreachable, serverDetail } from '../../lib/sdk-errors.js';
import { safeText } from '../../lib/render/safe-text.js';

interface AuthStatusResult {
  logged_in: boolean;
  /** True when the server accepted the token just now (GET /auth/me). */
  verified: boolean;
  username: string | null;
  display_name: string | null;
  roles: string[];
  api_url: string;
  /** When the access token expires (RFC 3339), when known. */
  expires_at: string | null;
  refresh_expires_at: string | null;
  stored_in: string;
  /** The access token, masked: at most its first and last 4 characters. */
  token: string | null;
  /** --verbose: what the tokens say of themselves (their JWT claims), and the credential store. */
  access_token?: { issued_at: string | null; expires_at: string | null; subject: string | null; issuer: string | null } | null;
  refresh_token?: { present: boolean; expires_at: string | null };
  credential_store?: { setting: string; in_use: string; location: string };
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The --verbose part: the access token's claims (from the JWT's exp and iat), the refresh token's expiry, the store. Never the tokens. */
function verboseDetails(tokens: TokenSet, setting: string, store: { kind: string; location: string }): Required<Pick<AuthStatusResult, 'access_token' | 'refresh_token' | 'credential_store'>> {
  const access = jwtClaims(tokens.accessToken);
  const refresh = tokens.refreshToken === undefined ? undefined : jwtClaims(tokens.refreshToken);
  return {
    access_token:
      access === undefined ? null : { issued_at: iso(access.issuedAt), expires_at: iso(access.expiresAt), subject: access.subject ?? null, issuer: access.issuer ?? null },
    refresh_token: { present: tokens.refreshToken !== undefined, expires_at: iso(refresh?.expiresAt ?? tokens.refreshExpiresAt) },
    credential_store: { setting, in_use: store.kind, location: store.location },
  };
}

export default class AuthStatus extends DtmCommand<typeof AuthStatus> {
  static override summary = 'Show who is logged in, where the tokens are kept and when they expire';
  static override description =
    'Asks the server who the stored token belongs to (GET /auth/me, renewing an expired access token on the way). ' +
    'The token is shown masked only; `dtm auth token` prints it whole. ' +
    'Exit code 4 when not logged in or the session has ended, 1 when the server cannot be reached.';
  static override examples = [
    '<%= config.bin %> auth status',
    '<%= config.bin %> auth status --verbose',
    '<%= config.bin %> auth status --json username,expires_at',
  ];
  static override jsonFields = [
    'logged_in',
    'verified',
    'username',
    'display_name',
    'roles',
    'api_url',
    'expires_at',
    'refresh_expires_at',
    'stored_in',
    'token',
    'access_token',
    'refresh_token',
    'credential_store',
  ];

  static override flags = {
    verbose: Flags.boolean({
      description: 'Also when each token was issued and expires (from its own claims), and the credential store in use (under --json: access_token, refresh_token, credential_store)',
    }),
  };

  async run(): Promise<void> {
    const { apiUrl } = this.settings;
    const { client, credentials } = await this.connection();
    const stored = await credentials.get();
    const result: AuthStatusResult = {
      logged_in: false,
      verified: false,
      username: null,
      display_name: null,
      roles: [],
      api_url: apiUrl,
      expires_at: null,
      refresh_expires_at: null,
      stored_in: credentials.location,
      token: null,
    };
    if (!stored) {
      if (!this.json) throw notLoggedIn(apiUrl);
      await this.print(result, () => '');
      return this.exit(ExitCode.authRequired);
    }

    let user: User | undefined;
    let unreachable: string | undefined;
    try {
      user = await client.auth.me({ timeoutMs: this.settings.authTimeoutMs });
    } catch (error) {
      if (isAuthenticationError(error)) {
        throw new CliError(`The session for ${apiUrl} has ended: ${serverDetail(error)}`, {
          exitCode: ExitCode.authRequired,
          hint:
            credentials.kind === 'env'
              ? 'The token in DTM_TOKEN is refused: set a valid one, or unset it and run `dtm auth login`.'
              : 'Run `dtm auth login` to start a new one.',
          code: 'auth_required',
          cause: error,
        });
      }
      if (!isUnreachable(error)) throw error;
      unreachable = describeError(error).message;
    }

    // GET /auth/me may have renewed an expired access token: show the one in use now.
    const tokens = (await credentials.get()) ?? stored;
    const expiresAt = tokenExpiry(tokens);
    Object.assign(result, {
      logged_in: true,
      verified: user !== undefined,
      username: user?.username ?? null,
      display_name: user?.display_name ?? null,
      roles: user?.roles ?? [],
      expires_at: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
      refresh_expires_at: tokens.refreshExpiresAt === undefined ? null : new Date(tokens.refreshExpiresAt).toISOString(),
      token: maskToken(tokens.accessToken),
    } satisfies Partial<AuthStatusResult>);
    const verbose = this.flags.verbose ? verboseDetails(tokens, this.settings.credentialStore, credentials) : undefined;
    if (verbose !== undefined) Object.assign(result, verbose);

    // Rendered from the result, which print() has made safe for a terminal (the names come from the server).
    await this.print(result, (safe) => {
      const { colors } = this;
      const who = safe.username !== null
        ? `${colors.bold(safe.username)}${safe.display_name !== null && safe.display_name !== safe.username ? ` (${safe.display_name})` : ''}`
        : colors.yellow('(not verified: the server cannot be reached)');
      const pairs: [string, string][] = [
        ['user', who],
        ['roles', user ? safe.roles.join(', ') : '-'],
        ['api', apiUrl],
        ['token', `${maskToken(tokens.accessToken)}  ${expiresAt === undefined ? 'no known expiry' : expiryText(expiresAt)}`],
      ];
      if (tokens.refreshExpiresAt !== undefined) pairs.push(['refresh token', describeExpiry(tokens.refreshExpiresAt)]);
      else if (credentials.kind === 'env') pairs.push(['refresh token', 'none (a fixed token cannot be renewed)']);
      pairs.push(['stored in', credentials.location]);
      if (safe.access_token !== undefined && safe.refresh_token !== undefined && safe.credential_store !== undefined) {
        pairs.push(...verbosePairs({ access_token: safe.access_token, refresh_token: safe.refresh_token, credential_store: safe.credential_store }));
      }
      const mark = user ? colors.green('✓') : colors.yellow('!');
      return `${mark} Logged in to ${apiUrl}\n${details(pairs, colors)}`;
    });
    if (unreachable !== undefined) {
      if (!this.json) process.stderr.write(`${this.colors.red('Error:')} ${safeText(unreachable)}\n`);
      return this.exit(ExitCode.failure);
    }
  }
}

function expiryText(expiresAt: number): string {
  return `${describeExpiry(expiresAt)} (${new Date(expiresAt).toISOString()})`;
}

function verbosePairs(verbose: ReturnType<typeof verboseDetails>): [string, string][] {
  const access = verbose.access_token;
  const refresh = verbose.refresh_token;
  const store = verbose.credential_store;
  return [
    ['issued', access?.issued_at ?? 'unknown (not a JWT)'],
    ['token expires', access?.expires_at ?? 'unknown (no exp claim)'],
    ['refresh expires', refresh.present ? (refresh.expires_at ?? 'unknown') : 'none'],
    ['subject', access?.subject ?? '-'],
    ['issuer', access?.issuer ?? '-'],
    ['credential store', `${store.in_use} (setting credential-store: ${store.setting})`],
  ];
}
