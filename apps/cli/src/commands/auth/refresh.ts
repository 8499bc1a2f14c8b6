import { DtmCommand } from '../../base-command.js';
import { describeExpiry, notLoggedIn, tokenExpiry } from '../../lib/credentials.js';
import { CliError, ExitCode } from '../../lib/errors.js';
import { isAuthenticationError, serverDetail } from '../../lib/sdk-errors.js';

export default class AuthRefresh extends DtmCommand<typeof AuthRefresh> {
  static override summary = 'Renew the access token now';
  static override description =
    'Exchanges the stored refresh token for new tokens (the server rotates both) and keeps them. ' +
    'Commands renew an expired token on their own; this renews it ahead of time, e.g. before a long script.';
  static override examples = ['<%= config.bin %> auth refresh', '<%= config.bin %> auth refresh --json expires_at'];
  static override jsonFields = ['api_url', 'expires_at', 'refresh_expires_at', 'stored_in'];

  async run(): Promise<void> {
    const { apiUrl } = this.settings;
    const { client, credentials } = await this.connection();
    if (credentials.kind === 'env') {
      throw new CliError('The token comes from DTM_TOKEN, which holds no refresh token: it cannot be renewed.', {
        hint: 'Set a new DTM_TOKEN, or unset it to use the login kept by `dtm auth login`.',
        code: 'not_refreshable',
      });
    }
    const stored = await credentials.get();
    if (!stored?.refreshToken) throw notLoggedIn(apiUrl);
    try {
      await client.auth.refresh({ timeoutMs: this.settings.authTimeoutMs });
    } catch (error) {
      // The SDK has already cleared the refused tokens.
      if (!isAuthenticationError(error)) throw error;
      throw new CliError(`The session for ${apiUrl} has ended: ${serverDetail(error)}`, {
        exitCode: ExitCode.authRequired,
        hint: 'Run `dtm auth login` to start a new one.',
        code: 'auth_required',
        cause: error,
      });
    }
    const tokens = await credentials.get();
    const expiresAt = tokens ? tokenExpiry(tokens) : undefined;
    await this.print(
      {
        api_url: apiUrl,
        expires_at: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
        refresh_expires_at: tokens?.refreshExpiresAt === undefined ? null : new Date(tokens.refreshExpiresAt).toISOString(),
        stored_in: credentials.location,
      },
      () =>
        `${this.colors.green('✓')} Renewed the tokens for ${apiUrl}; the new access token ` +
        (expiresAt === undefined ? 'has no known expiry.' : `${describeExpiry(expiresAt)} (${new Date(expiresAt).toISOString()}).`),
    );
  }
}
