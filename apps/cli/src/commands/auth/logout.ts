import { DtmCommand } from '../../base-command.js';
import { describeError } from '../../lib/describe-error.js';
import { CliError } from '../../lib/errors.js';
import { isApiError, isAuthenticationError, isUnreachable, serverDetail } from '../../lib/sdk-errors.js';

export default class AuthLogout extends DtmCommand<typeof AuthLogout> {
  static override summary = 'Log out: revoke the session on the server and forget the tokens';
  static override description =
    'Revokes the refresh token on the server, then deletes the tokens from the keychain or file. ' +
    'The tokens are deleted even when the server cannot be reached; the command then says that the ' +
    'session was not revoked (it still ends when the refresh token expires).';
  static override examples = ['<%= config.bin %> auth logout'];
  static override jsonFields = ['api_url', 'logged_out', 'revoked', 'warning'];

  async run(): Promise<void> {
    const { apiUrl } = this.settings;
    const { client, credentials } = await this.connection();
    if (credentials.kind === 'env') {
      throw new CliError('The token comes from DTM_TOKEN: dtm cannot log it out.', {
        hint: 'Unset DTM_TOKEN in your shell (then `dtm auth logout` ends a stored login, if there is one).',
        code: 'env_token',
      });
    }
    const stored = await credentials.get();
    if (!stored) {
      await this.print({ api_url: apiUrl, logged_out: true, revoked: false, warning: null }, () => `Not logged in to ${apiUrl}; nothing to do.`);
      return;
    }
    let revoked = true;
    let warning: string | null = null;
    try {
      // No retries: a person is waiting, and the tokens go either way.
      await client.auth.logout({ timeoutMs: this.settings.authTimeoutMs, retries: 0 });
    } catch (error) {
      await credentials.clear(); // the SDK clears them too; be sure of it
      if (isAuthenticationError(error)) {
        // The server no longer knows the session (expired or already revoked): nothing to revoke.
      } else if (isUnreachable(error) || isApiError(error)) {
        revoked = false;
        const reason = isUnreachable(error) ? `the server could not be reached (${describeError(error).message})` : `the server answered: ${serverDetail(error)}`;
        warning = `The session was not revoked on the server: ${reason}. It ends when its refresh token expires.`;
      } else {
        throw error;
      }
    }
    await this.print({ api_url: apiUrl, logged_out: true, revoked, warning }, () => {
      if (warning !== null) process.stderr.write(`${this.colors.yellow('Warning:')} ${warning}\n`);
      return `${this.colors.green('✓')} Logged out of ${apiUrl}; the tokens were deleted from ${credentials.location}.`;
    });
  }
}
