import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { checkSetting, checkSettingName, configPath, readConfigFile, settings, writeConfigFile } from '../../lib/config.js';

export default class ConfigSet extends DtmCommand<typeof ConfigSet> {
  static override summary = 'Keep a setting in the config file';
  static override description =
    'Checks the value, then writes the config file (config.json in the config dir, mode 0600) atomically. ' +
    'An environment variable or a flag still takes precedence over the file.';
  static override examples = [
    '<%= config.bin %> config set api-url https://dtm.example.com',
    '<%= config.bin %> config set timeout 30s',
    '<%= config.bin %> config set credential-store file',
  ];
  static override jsonFields = ['key', 'value', 'path'];

  static override args = {
    key: Args.string({ required: true, description: 'The setting, e.g. api-url (see `dtm config list`)' }),
    value: Args.string({ required: true, description: 'Its new value' }),
  };

  async run(): Promise<void> {
    const key = checkSettingName(this.args.key);
    const { value } = this.args;
    checkSetting(key, value, key);
    const file = await readConfigFile();
    file[key] = value;
    await writeConfigFile(file);
    const path = configPath();
    const overriddenBy = process.env[settings[key].env];
    if (overriddenBy !== undefined && overriddenBy !== '') {
      this.note(`Note: ${settings[key].env} is set and takes precedence over the config file in this shell.`);
    }
    await this.print({ key, value, path }, () => `${this.colors.green('✓')} Set ${key} to ${value} in ${path}.`);
  }
}
