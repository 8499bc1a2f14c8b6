import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { notLoggedIn, tokenExpiry } from '../../lib/credentials.js';
import { usageError } from '../../lib/errors.js';

/** Renew a stored token that expires within this margin before handing it out. */
const renewWithinMs = 30_000;

export default class AuthToken extends DtmCommand<typeof AuthToken> {
  static override summary = 'Print the access token, for scripts';
  static override description =
    'Prints the access token in use (the stored login, or DTM_TOKEN) on stdout, like `gh auth token`, ' +
    'renewing a stored one first when it has expired. A token is a password: on a terminal it is ' +
    'printed only with --reveal, so it does not end up on a screen or in a screen recording; ' +
    'piped or captured, as in `$(dtm auth token)`, it is printed as is.';
  static override examples = [
    'curl -H "Authorization: Bearer $(<%= config.bin %> auth token)" http://127.0.0.1:8000/auth/me',
    '<%= config.bin %> auth token --reveal',
  ];
  static override jsonFields = ['token', 'expires_at', 'api_url'];

  static override flags = {
    reveal: Flags.boolean({ description: 'Print the token even when stdout is a terminal' }),
  };

  async run(): Promise<void> {
    if (this.tty && !this.flags.reveal) {
      throw usageError(
        'Not printing the access token on a terminal, where others may see it.',
        'Capture it (`TOKEN=$(dtm auth token)`), pipe it, or pass --reveal to show it anyway.',
      );
    }
    const { apiUrl } = this.settings;
    const { client, credentials } = await this.connection();
    let tokens = await credentials.get();
    if (!tokens) throw notLoggedIn(apiUrl);
    const expiresAt = tokenExpiry(tokens);
    if (tokens.refreshToken !== undefined && expiresAt !== undefined && expiresAt - Date.now() < renewWithinMs) {
      await client.auth.refresh({ timeoutMs: this.settings.authTimeoutMs });
      tokens = await credentials.get();
      if (!tokens) throw notLoggedIn(apiUrl);
    }
    const current = tokenExpiry(tokens);
    await this.print(
      { token: tokens.accessToken, expires_at: current === undefined ? null : new Date(current).toISOString(), api_url: apiUrl },
      (result) => result.token,
    );
  }
}
