import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { CliError } from '../../lib/errors.js';
import { readFile } from 'node:fs/promises';
import { type Kind, kinds } from '../../lib/store/records.js';
import type { LocalStore } from '../../lib/store/store.js';
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
    'Reads every task, project and sprint from the API into the local store and writes its CSV mirror (tasks.csv, projects.csv, sprints.csv) anew ' +
    '(after sending any changes queued offline). With --validate-integrity the files are then read back and their ' +
    'record counts and checksums compared with what the API returned; exit code 1 when one differs.';
  static override examples = ['<%= config.bin %> project sync', '<%= config.bin %> project sync --validate-integrity --json'];
  static override jsonFields = ['kind', 'records', 'checksum', 'valid'];

  static override flags = {
    'validate-integrity': Flags.boolean({ description: 'Read the files back and verify counts and checksums' }),
  };

  async run(): Promise<void> {
    const client = await this.client();
    const [compare, { replaceKind }, { mirrorFile, writeMirror }] = await Promise.all([
      import('../../lib/store/compare.js'),
      import('../../lib/store/pull.js'),
      import('../../lib/store/mirror.js'),
    ]);
    const remote = await compare.fetchAll(client);
    const checks: KindCheck[] = kinds.map((kind) => ({ kind, records: remote[kind].length, checksum: compare.checksum(kind, remote[kind]) }));
    const store = (await this.data.store(true)) as LocalStore;
    replaceKind(store, 'tasks', remote.tasks);
    replaceKind(store, 'projects', remote.projects);
    replaceKind(store, 'sprints', remote.sprints);
    // Written here, not in the background: --validate-integrity reads the files back.
    await writeMirror(store);
    if (this.flags['validate-integrity']) {
      for (const check of checks) {
        const text = await readFile(mirrorFile(store, check.kind), 'utf8').catch(() => '');
        const count = /^### Source: DTM API \((\d+) records\)$/m.exec(text)?.[1];
        check.valid = Number(count) === check.records && compare.fileChecksum(text) === check.checksum;
      }
    }
    await this.print(checks, (list) =>
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
