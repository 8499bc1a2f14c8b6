import { Flags } from '@oclif/core';
import type { ListProjectsParams, ProjectPage } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { projectStatuses } from '../../lib/contract.js';
import { projectFields } from '../../lib/contract-extra.js';
import { projectTable } from '../../lib/render/projects.js';

export default class ProjectList extends DtmCommand<typeof ProjectList> {
  static override canFallBack = true;
  static override summary = 'List projects';
  static override description = 'Shows one page of projects (--limit, --offset), or every matching project with --all.';
  static override examples = [
    '<%= config.bin %> project list',
    '<%= config.bin %> project list --status archived',
    '<%= config.bin %> project list --search mobile --json id,name',
    '<%= config.bin %> project list --all --json > projects.json',
  ];
  static override jsonFields = projectFields;

  static override flags = {
    status: Flags.option({ options: projectStatuses, description: 'Only projects in this status' })(),
    search: Flags.string({ description: 'Text to find in names and descriptions' }),
    limit: Flags.integer({ min: 1, max: 1000, default: 30, description: 'Projects per page (1–1000)' }),
    offset: Flags.integer({ min: 0, default: 0, description: 'Projects to skip' }),
    all: Flags.boolean({ description: 'Every matching project, page after page (ignores --limit/--offset)' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const filters: ListProjectsParams = { status: flags.status, q: flags.search };
    if (flags.all) {
      const projects = await this.data.all('projects', filters, (client) => client.projects.listAll(filters));
      await this.print(projects, (all) => (all.length === 0 ? 'No projects match.' : projectTable(all, this.colors, this.tty)));
      return;
    }
    const window = { limit: flags.limit, offset: flags.offset };
    const page = await this.data.page('projects', filters, window, (client) => client.projects.list({ ...filters, ...window }));
    await this.print(page, (result: ProjectPage) => {
      if (result.items.length === 0) {
        return result.total === 0 ? 'No projects match.' : `No projects past offset ${result.offset} (${result.total} match).`;
      }
      const shown = `Showing ${result.offset + 1}–${result.offset + result.items.length} of ${result.total}`;
      if (this.tty) process.stderr.write(`${this.colors.dim(shown)}\n`);
      return projectTable(result.items, this.colors, this.tty);
    });
  }
}
