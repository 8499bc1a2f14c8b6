import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { confirmedDelete } from '../../lib/confirmed-delete.js';
import { staleVersionError } from '../../lib/tasks/versions.js';
import { checkTaskRef } from '../../lib/tasks/values.js';

export default class TaskDelete extends DtmCommand<typeof TaskDelete> {
  static override canFallBack = true;
  static override summary = 'Delete a task';
  static override description =
    'Deletes a task for good. On a terminal it shows the task and asks first; in scripts (no terminal, or DTM_PROMPT_DISABLED set) pass --yes.';
  static override examples = ['<%= config.bin %> task delete TASK-000123', '<%= config.bin %> task delete TASK-000123 --yes'];
  static override jsonFields = ['id', 'deleted'];

  static override args = {
    id: Args.string({ required: true, description: 'Task id (TASK-…)' }),
  };

  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(checkTaskRef(this.args.id, 'ID'));
    await confirmedDelete(this.data, {
      kind: 'tasks',
      id,
      yes: this.flags.yes,
      question: (task) => `Delete ${task.id} "${task.title}" (${task.status})?`,
      refused: `Not deleted: ${id} is unchanged.`,
      get: (client, target) => client.tasks.get(target),
      remove: (client, target, ifMatch) => client.tasks.delete(target, ifMatch === undefined ? {} : { ifMatch }),
      explain: staleVersionError,
    });
    await this.print({ id, deleted: true }, () => `${this.colors.green('✓')} Deleted ${this.colors.bold(id)}`);
  }
}
