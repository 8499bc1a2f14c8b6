import { Flags } from '@oclif/core';
import type { SprintFilters, SprintPage } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { sprintStatuses } from '../../lib/contract.js';
import { sprintFields } from '../../lib/contract-extra.js';
import { usageError } from '../../lib/errors.js';
import { projectId } from '../../lib/projects.js';
import { sprintTable } from '../../lib/render/sprints.js';
import { listAllSprints, listSprintPage } from '../../lib/sprint-operations.js';

export default class SprintList extends DtmCommand<typeof SprintList> {
  static override canFallBack = true;
  static override summary = 'List sprints';
  static override description =
    'Shows one page of sprints, latest start first (--limit, --offset), or every matching sprint with --all. ' +
    '--active is short for --status active.';
  static override examples = [
    '<%= config.bin %> sprint list --active',
    '<%= config.bin %> sprint list --project PRJ-001 --status planned',
    '<%= config.bin %> sprint list --all --json id,name,status',
  ];
  static override jsonFields = sprintFields;

  static override flags = {
    active: Flags.boolean({ description: 'Only active sprints (same as --status active)' }),
    status: Flags.option({ options: sprintStatuses, description: 'Only sprints in this status' })(),
    project: Flags.string({ description: 'Only sprints of this project (PRJ-…)' }),
    limit: Flags.integer({ min: 1, max: 1000, default: 30, description: 'Sprints per page (1–1000)' }),
    offset: Flags.integer({ min: 0, default: 0, description: 'Sprints to skip' }),
    all: Flags.boolean({ description: 'Every matching sprint, page after page (ignores --limit/--offset)' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    // Checked here rather than with oclif's `exclusive`, whose message spans several lines.
    if (flags.active && flags.status !== undefined) {
      throw usageError('--active and --status cannot be used together.', '--active is short for --status active.');
    }
    const filters: SprintFilters = {
      status: flags.active ? 'active' : flags.status,
      project_id: flags.project === undefined ? undefined : projectId(flags.project, 'project id for --project'),
    };
    if (flags.all) {
      const sprints = await listAllSprints(this.data, filters);
      await this.print(sprints, (all) => (all.length === 0 ? 'No sprints match.' : sprintTable(all, this.colors, this.tty)));
      return;
    }
    const page = await listSprintPage(this.data, filters, { limit: flags.limit, offset: flags.offset });
    await this.print(page, (result: SprintPage) => {
      if (result.items.length === 0) {
        return result.total === 0 ? 'No sprints match.' : `No sprints past offset ${result.offset} (${result.total} match).`;
      }
      const shown = `Showing ${result.offset + 1}–${result.offset + result.items.length} of ${result.total}`;
      if (this.tty) process.stderr.write(`${this.colors.dim(shown)}\n`);
      return sprintTable(result.items, this.colors, this.tty);
    });
  }
}
