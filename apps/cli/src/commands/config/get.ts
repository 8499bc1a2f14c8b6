import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { checkSettingName, readConfigFile, resolveSetting } from '../../lib/config.js';

export default class ConfigGet extends DtmCommand<typeof ConfigGet> {
  static override summary = 'Print the value of a setting';
  static override description =
    'Prints the value in force, by precedence: flag > environment variable > config file > default. ' +
    '`dtm config list` shows every setting and where its value comes from.';
  static override examples = ['<%= config.bin %> config get api-url', '<%= config.bin %> config get timeout --json'];
  static override jsonFields = ['key', 'value', 'source'];

  static override args = {
    key: Args.string({ required: true, description: 'The setting, e.g. api-url (see `dtm config list`)' }),
  };

  async run(): Promise<void> {
    const key = checkSettingName(this.args.key);
    const flag = key === 'api-url' ? this.flags['api-url'] : key === 'timeout' ? this.flags.timeout : undefined;
    const resolved = resolveSetting(key, flag, await readConfigFile());
    await this.print({ key, ...resolved }, (result) => result.value);
  }
}
