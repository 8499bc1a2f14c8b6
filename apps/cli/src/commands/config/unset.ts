import { Args } from '@oclif/core';
import { redactUrl } from '@dtm/sdk/redact';
import { DtmCommand } from '../../base-command.js';
import { checkSettingName, configPath, readConfigFile, settings, writeConfigFile } from '../../lib/config.js';

export default class ConfigUnset extends DtmCommand<typeof ConfigUnset> {
  static override summary = 'Remove a setting from the config file';
  static override description =
    'Removes the setting from the config file (written atomically), so the environment variable or the default applies again. ' +
    'Removing a setting the file does not hold is not an error.';
  static override examples = ['<%= config.bin %> config unset api-url', '<%= config.bin %> config unset timeout --json'];
  static override jsonFields = ['key', 'removed', 'value', 'path'];

  static override args = {
    key: Args.string({ required: true, description: 'The setting, e.g. api-url (see `dtm config list`)' }),
  };

  async run(): Promise<void> {
    const key = checkSettingName(this.args.key);
    const file = await readConfigFile();
    const removed = key in file;
    if (removed) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by a checked setting name
      delete file[key];
      await writeConfigFile(file);
    }
    const path = configPath();
    const setting = settings[key];
    const fromEnv = process.env[setting.env];
    const value = redactUrl(fromEnv !== undefined && fromEnv !== '' ? fromEnv : setting.default);
    const now = fromEnv !== undefined && fromEnv !== '' ? `${setting.env} in this shell` : `the default, ${setting.default}`;
    await this.print({ key, removed, value, path }, () =>
      removed ? `${this.colors.green('✓')} Removed ${key} from ${path}; ${key} is now ${now}.` : `${key} was not set in ${path}; ${key} is ${now}.`,
    );
  }
}
