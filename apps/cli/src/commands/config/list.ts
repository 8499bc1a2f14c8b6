import { DtmCommand } from '../../base-command.js';
import { type SettingReport, configPath, readConfigFile, resolveAll } from '../../lib/config.js';
import { table } from '../../lib/render/table.js';

export default class ConfigList extends DtmCommand<typeof ConfigList> {
  static override summary = 'List every setting, its value and where the value comes from';
  static override description =
    'The source is one of flag, env, config (the config file) or default; the first that has a value wins. ' +
    'Piped, each line is KEY<tab>VALUE<tab>SOURCE.';
  static override examples = ['<%= config.bin %> config list', '<%= config.bin %> config list --json'];
  static override jsonFields = ['key', 'value', 'source', 'env', 'default', 'description'];

  async run(): Promise<void> {
    const reports = resolveAll({ 'api-url': this.flags['api-url'], timeout: this.flags.timeout }, await readConfigFile());
    await this.print(reports, (rows) => {
      const { colors } = this;
      const text = table<SettingReport>(
        rows,
        [
          { header: 'key', value: (row) => row.key },
          { header: 'value', value: (row) => row.value },
          { header: 'source', value: (row) => (this.tty ? sourceText(row) : row.source) },
        ],
        colors,
        this.tty,
      );
      if (this.tty) process.stderr.write(`${colors.dim(`Config file: ${configPath()}`)}\n`);
      return text;
    });
  }
}

function sourceText(row: SettingReport): string {
  switch (row.source) {
    case 'flag':
      return `flag --${row.key}`;
    case 'env':
      return `env ${row.env}`;
    case 'config':
      return 'config file';
    default:
      return 'default';
  }
}
