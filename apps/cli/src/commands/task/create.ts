import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { taskFields } from '../../lib/contract.js';
import { taskCreate } from '../../lib/tasks/changes.js';
import { taskFieldFlags } from '../../lib/tasks/flags.js';
import { createTask } from '../../lib/tasks/operations.js';

export default class TaskCreate extends DtmCommand<typeof TaskCreate> {
  static override canFallBack = true;
  static override summary = 'Create a task';
  static override description =
    'Creates a task and prints it: in text, one line starting with its id; with --json, the whole task. ' +
    'Status defaults to pending and priority to medium. A retry after a lost answer never creates it twice.';
  static override examples = [
    '<%= config.bin %> task create --title "Write the release notes" --priority high --project PRJ-001',
    '<%= config.bin %> task create --title "Fix login form" --assignee alice --tag bug --tag frontend --due 2026-12-01 --estimate 3',
    '<%= config.bin %> task create --title "Triage bug reports" --json id',
  ];
  static override jsonFields = taskFields;

  static override flags = {
    title: Flags.string({ char: 't', required: true, description: 'What is to be done (1–200 characters)' }),
    ...taskFieldFlags,
  };

  async run(): Promise<void> {
    const body = taskCreate(this.flags);
    const task = await createTask(this.data, body);
    await this.print(task, (created) => `${this.colors.green('✓')} Created ${this.colors.bold(created.id)}: ${created.title}`);
  }
}
