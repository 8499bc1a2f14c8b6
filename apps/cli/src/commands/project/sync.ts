import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { CliError } from '../../lib/errors.js';
import type { Kind } from '../../lib/offline/local-copy.js';
import { dataDir } from '../../lib/paths.js';
import { table } from '../../lib/render/table.js';

interface KindCheck {
  kind: Kind;
  /** Records the API has. */
  records: number;
  /** sha256 of the CSV table (without the ### lines). */
  checksum: string;
  /** With --validate-integrity: the file read back has the same count and checksum. */
  valid?: boolean;
}

export default class ProjectSync extends DtmCommand<typeof ProjectSync> {
  static override summary = 'Rebuild the local copy (tasks, projects, sprints) from the API';
  static override description =
    'Reads every task, project and sprint from the API and writes tasks.csv, projects.csv and sprints.csv anew ' +
    '(after sending any changes queued offline). With --validate-integrity the files are then read back and their ' +
    'record counts and checksums compared with what the API returned; exit code 1 when one differs.';
  static override examples = ['<%= config.bin %> project sync', '<%= config.bin %> project sync --validate-integrity --json'];
  static override jsonFields = ['kind', 'records', 'checksum', 'valid'];

  static override flags = {
    'validate-integrity': Flags.boolean({ description: 'Read the files back and verify counts and checksums' }),
  };

  async run(): Promise<void> {
    const dir = dataDir();
    const client = await this.client();
    const [{ checksum, fetchAll }, copy, { withOutboxLock }] = await Promise.all([
      import('../../lib/offline/compare.js'),
      import('../../lib/offline/local-copy.js'),
      import('../../lib/offline/outbox.js'),
    ]);
    const remote = await fetchAll(client);
    const checks: KindCheck[] = [
      { kind: 'tasks', records: remote.tasks.length, checksum: checksum('tasks', remote.tasks) },
      { kind: 'projects', records: remote.projects.length, checksum: checksum('projects', remote.projects) },
      { kind: 'sprints', records: remote.sprints.length, checksum: checksum('sprints', remote.sprints) },
    ];
    await withOutboxLock(dir, async () => {
      await copy.claimFor(this.settings.apiUrl, { dir });
      await copy.replaceAll('tasks', remote.tasks, { dir });
      await copy.replaceAll('projects', remote.projects, { dir });
      await copy.replaceAll('sprints', remote.sprints, { dir });
    });
    if (this.flags['validate-integrity']) {
      for (const check of checks) {
        const back = await copy.readCollection(check.kind, { dir });
        check.valid = back !== undefined && back.records.length === check.records && checksum(check.kind, back.records) === check.checksum;
      }
    }
    this.print(checks, (list) =>
      table(
        list,
        [
          { header: 'file', value: (check) => `${check.kind}.csv` },
          { header: 'records', value: (check) => String(check.records) },
          { header: 'sha256', value: (check) => (this.tty ? check.checksum.slice(0, 16) : check.checksum) },
          ...(this.flags['validate-integrity']
            ? [{ header: 'valid', value: (check: KindCheck) => (check.valid === true ? this.colors.green('✓ valid') : this.colors.red('✗ differs')) }]
            : []),
        ],
        this.colors,
        this.tty,
      ),
    );
    const broken = checks.filter((check) => check.valid === false);
    if (broken.length > 0) {
      throw new CliError(`The local copy does not match the API: ${broken.map((check) => `${check.kind}.csv`).join(', ')}.`, {
        hint: 'Check the disk and the data dir (DTM_DATA_DIR), then run `dtm project sync` again.',
        code: 'integrity',
      });
    }
  }
}
