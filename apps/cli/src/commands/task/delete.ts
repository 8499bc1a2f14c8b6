import { Args, Flags } from '@oclif/core';
import type { Task } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { CliError, usageError } from '../../lib/errors.js';
import { promptLine } from '../../lib/prompt.js';
import { staleVersionError } from '../../lib/tasks/versions.js';
import { checkTaskRef } from '../../lib/tasks/values.js';
import type { AnyRecord } from '../../lib/store/records.js';

export default class TaskDelete extends DtmCommand<typeof TaskDelete> {
  static override canFallBack = true;
  static override summary = 'Delete a task';
  static override description =
    'Deletes a task for good. On a terminal it shows the task and asks first; in scripts (no terminal) pass --yes.';
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
    if (!this.flags.yes && !process.stdin.isTTY) {
      throw usageError(`Not deleting ${id} without confirmation: there is no terminal to ask.`, 'Pass --yes to delete it.');
    }
    const confirm = async (record: AnyRecord): Promise<void> => {
      const task = record as Task;
      const answer = await promptLine(`Delete ${task.id} "${task.title}" (${task.status})? [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) throw new CliError(`Not deleted: ${id} is unchanged.`, { code: 'cancelled' });
    };
    await this.data.change(
      { kind: 'tasks', action: 'delete', target: id },
      async (client, { target }) => {
        let ifMatch: number | undefined;
        if (!this.flags.yes) {
          // Ask about the task as it is now, and delete only that version of it.
          const task = await client.tasks.get(target);
          await confirm(task);
          ifMatch = task.version;
        }
        try {
          await client.tasks.delete(target, ifMatch === undefined ? {} : { ifMatch });
        } catch (error) {
          throw staleVersionError(error, target);
        }
        await this.data.forget('tasks', [target]);
        return null;
      },
      this.flags.yes ? {} : { confirmQueued: confirm },
    );
    await this.print({ id, deleted: true }, () => `${this.colors.green('✓')} Deleted ${this.colors.bold(id)}`);
  }
}
