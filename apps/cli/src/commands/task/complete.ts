import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { taskFields } from '../../lib/contract.js';
import { checkTaskRef, checkText } from '../../lib/tasks/values.js';
import { completeTask } from '../../lib/tasks/operations.js';

export default class TaskComplete extends DtmCommand<typeof TaskComplete> {
  static override canFallBack = true;
  static override summary = 'Mark a task completed';
  static override description =
    'Sets the status to completed and records when, with optional notes. Completing a completed task again changes nothing; ' +
    'a cancelled task must be reopened (task update --status pending) first.';
  static override examples = [
    '<%= config.bin %> task complete TASK-000123',
    '<%= config.bin %> task complete TASK-000123 --notes "Published on the blog."',
  ];
  static override jsonFields = taskFields;

  static override args = {
    id: Args.string({ required: true, description: 'Task id (TASK-…)' }),
  };

  static override flags = {
    notes: Flags.string({ char: 'n', description: 'Completion notes (up to 10,000 characters)' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(checkTaskRef(this.args.id, 'ID'));
    const { notes } = this.flags;
    const body = notes === undefined ? {} : { completion_notes: checkText(notes, '--notes', 10_000, 0) };
    const task = await completeTask(this.data, id, body);
    if (task === null) throw this.notInLocalCopy(id);
    await this.print(task, (done) => `${this.colors.green('✓')} Completed ${this.colors.bold(done.id)}: ${done.title}`);
  }
}
