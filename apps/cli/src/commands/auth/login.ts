import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { usageError } from '../../lib/errors.js';
import { promptLine, promptSecret, readStdin } from '../../lib/prompt.js';

export default class AuthLogin extends DtmCommand<typeof AuthLogin> {
  static override summary = 'Log in and keep the tokens';
  static override description =
    'Asks for the password without echoing it, or reads it from stdin with --password-stdin. ' +
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
    const username = this.flags.username ?? (await promptLine('Username: ')).trim();
    if (username === '') throw usageError('A username is needed.', 'Pass --username.');
    const password = this.flags['password-stdin'] ? await readStdin() : await promptSecret('Password: ');
    if (password === '') throw usageError('The password is empty.', 'Type it at the prompt, or pipe it with --password-stdin.');
    const { client, credentials } = await this.connection();
    const tokens = await client.auth.login({ username, password }, { timeoutMs: this.settings.authTimeoutMs });
    const expiresAt = new Date(Date.now() + tokens.expires_in * 1000).toISOString();
    this.print(
      { username, api_url: this.settings.apiUrl, expires_at: expiresAt, stored_in: credentials.location },
      () => `${this.colors.green('✓')} Logged in to ${this.settings.apiUrl} as ${this.colors.bold(username)}. Tokens kept in ${credentials.location}.`,
    );
  }
}
