import { Flags } from '@oclif/core';
import type { TaskPage } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { taskFields } from '../../lib/contract.js';
import { filtersFromFlags, taskFilterFlags } from '../../lib/tasks/filters.js';
import { listAllTasks } from '../../lib/tasks/operations.js';
import { taskTable } from '../../lib/render/tasks.js';

export default class TaskList extends DtmCommand<typeof TaskList> {
  static override canFallBack = true;
  static override summary = 'List tasks, with filters';
  static override description = 'Shows one page of tasks (--limit, --offset), or every matching task with --all.';
  static override examples = [
    '<%= config.bin %> task list --status pending,in_progress --project PRJ-001',
    '<%= config.bin %> task list --assignee alice --sort -priority --limit 10',
    '<%= config.bin %> task list --search "release notes" --json id,title,status',
    '<%= config.bin %> task list --all --json > tasks.json',
  ];
  static override jsonFields = taskFields;

  static override flags = {
    ...taskFilterFlags,
    limit: Flags.integer({ min: 1, max: 1000, default: 30, description: 'Tasks per page (1–1000)' }),
    offset: Flags.integer({ min: 0, default: 0, description: 'Tasks to skip' }),
    all: Flags.boolean({ description: 'Every matching task, page after page (ignores --limit/--offset)' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const filters = filtersFromFlags(flags);
    if (flags.all) {
      const tasks = await listAllTasks(this.data, filters);
      await this.print(tasks, (all) => (all.length === 0 ? 'No tasks match.' : taskTable(all, this.colors, this.tty)));
      return;
    }
    const window = { limit: flags.limit, offset: flags.offset };
    const page = await this.data.page('tasks', filters, window, (client) => client.tasks.list({ ...filters, ...window }));
    await this.print(page, (result: TaskPage) => {
      if (result.items.length === 0) return result.total === 0 ? 'No tasks match.' : `No tasks past offset ${result.offset} (${result.total} match).`;
      const shown = `Showing ${result.offset + 1}–${result.offset + result.items.length} of ${result.total}`;
      if (this.tty) process.stderr.write(`${this.colors.dim(shown)}\n`);
      return taskTable(result.items, this.colors, this.tty);
    });
  }
}
