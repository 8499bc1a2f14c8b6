import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { taskFields } from '../../lib/contract.js';
import { usageError } from '../../lib/errors.js';
import { taskChanges } from '../../lib/tasks/changes.js';
import { clearFlags, taskFieldFlags, versionFlags } from '../../lib/tasks/flags.js';
import { updateTask } from '../../lib/tasks/operations.js';
import { ifMatchOf } from '../../lib/tasks/versions.js';
import { checkTaskRef } from '../../lib/tasks/values.js';

export default class TaskUpdate extends DtmCommand<typeof TaskUpdate> {
  static override canFallBack = true;
  static override summary = 'Change fields of a task';
  static override description =
    'Changes only the fields given; --clear-… flags empty a field. With --expect-version (or --if-match) the change ' +
    'applies only if nobody changed the task since you read it; otherwise nothing changes and the command says so.';
  static override examples = [
    '<%= config.bin %> task update TASK-000123 --status in_progress --assignee alice',
    '<%= config.bin %> task update TASK-000123 --priority critical --expect-version 3',
    '<%= config.bin %> task update TASK-000123 --clear-due --clear-sprint',
  ];
  static override jsonFields = taskFields;

  static override args = {
    id: Args.string({ required: true, description: 'Task id (TASK-…)' }),
  };

  static override flags = {
    title: Flags.string({ char: 't', description: 'New title (1–200 characters)' }),
    ...taskFieldFlags,
    ...clearFlags,
    ...versionFlags,
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(checkTaskRef(this.args.id, 'ID'));
    const changes = taskChanges(this.flags);
    if (Object.keys(changes).length === 0) {
      throw usageError('Nothing to change.', 'Pass at least one field, e.g. --status in_progress or --clear-assignee.');
    }
    const ifMatch = ifMatchOf(this.flags);
    const task = await updateTask(this.data, id, changes, ifMatch);
    if (task === null) throw this.notInLocalCopy(id);
    await this.print(
      task,
      (updated) => `${this.colors.green('✓')} Updated ${this.colors.bold(updated.id)}: ${updated.title} (version ${updated.version})`,
    );
  }
}
