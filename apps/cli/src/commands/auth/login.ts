import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { describeExpiry } from '../../lib/credentials.js';
import { CliError, ExitCode, usageError } from '../../lib/errors.js';
import { needPrompt, promptLine, promptSecret, readStdin } from '../../lib/prompt.js';
import { isAuthenticationError, serverDetail } from '../../lib/sdk-errors.js';

export default class AuthLogin extends DtmCommand<typeof AuthLogin> {
  static override summary = 'Log in and keep the tokens';
  static override description =
    'Asks for the password without echoing it, or reads it from stdin with --password-stdin. ' +
    'Without a terminal (or with DTM_PROMPT_DISABLED set) nothing is asked: pass --username and --password-stdin. ' +
    'Tokens are kept in the OS keychain when one is available, else in a 0600 file in the config dir.';
  static override examples = [
    '<%= config.bin %> auth login --username demo',
    '<%= config.bin %> auth login --username ci-bot --password-stdin < ./password-file',
  ];
  static override jsonFields = ['username', 'api_url', 'expires_at', 'stored_in'];

  static override flags = {
    username: Flags.string({ char: 'u', description: 'Who to log in as (asked for when missing)' }),
    'password-stdin': Flags.boolean({ description: 'Read the password from stdin (for scripts and CI)' }),
  };

  async run(): Promise<void> {
    const { apiUrl } = this.settings;
    if (process.env.DTM_TOKEN !== undefined && process.env.DTM_TOKEN !== '') {
      // Every command would keep using DTM_TOKEN: a stored login would be silently ignored.
      throw new CliError('DTM_TOKEN is set, and it takes precedence over a stored login.', {
        hint: 'Unset DTM_TOKEN to log in and keep the tokens, or keep using DTM_TOKEN.',
        code: 'env_token',
      });
    }
    let { username } = this.flags;
    if (username === undefined) {
      needPrompt('the username', 'Pass --username, e.g. `dtm auth login --username demo --password-stdin < password-file`.');
      username = (await promptLine('Username: ')).trim();
    }
    if (username === '') throw usageError('A username is needed.', 'Pass --username.');
    const password = this.flags['password-stdin'] ? await readStdin() : await promptSecret('Password: ');
    if (password === '') throw usageError('The password is empty.', 'Type it at the prompt, or pipe it with --password-stdin.');
    const { client, credentials } = await this.connection();
    let expiresIn: number;
    try {
      ({ expires_in: expiresIn } = await client.auth.login({ username, password }, { timeoutMs: this.settings.authTimeoutMs }));
    } catch (error) {
      if (!isAuthenticationError(error)) throw error;
      throw new CliError(`Login to ${apiUrl} as ${username} failed: ${serverDetail(error)}`, {
        exitCode: ExitCode.authRequired,
        hint: 'Check the username and password, and try again.',
        code: 'login_failed',
        cause: error,
      });
    }
    const expiresAt = Date.now() + expiresIn * 1000;
    await this.print(
      { username, api_url: apiUrl, expires_at: new Date(expiresAt).toISOString(), stored_in: credentials.location },
      () =>
        `${this.colors.green('✓')} Logged in to ${apiUrl} as ${this.colors.bold(username)}; the access token ${describeExpiry(expiresAt)}.\n` +
        `  Tokens kept in ${credentials.location}.`,
    );
  }
}
