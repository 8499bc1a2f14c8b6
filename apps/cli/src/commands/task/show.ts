import { Args, Flags } from '@oclif/core';
import type { Task, TaskHistoryEntry } from '@dtm/sdk';
import { CliError, DtmCommand } from '../../base-command.js';
import { taskFields } from '../../lib/contract.js';
import { taskHistoryTable } from '../../lib/render/task-history.js';
import { taskDetails } from '../../lib/render/tasks.js';
import { allHistory } from '../../lib/tasks/history.js';
import { checkTaskRef } from '../../lib/tasks/values.js';
import { isTemporaryId } from '../../lib/store/changes.js';

type Shown = Task & { history?: TaskHistoryEntry[] };

export default class TaskShow extends DtmCommand<typeof TaskShow> {
  static override canFallBack = true;
  static override summary = 'Show a task';
  static override description =
    'Shows every field of one task; --history adds its audit trail (who changed what, when), oldest first. ' +
    '--verbose is both, and answered from the local copy it shows the fields and says that the history needs the API.';
  static override examples = [
    '<%= config.bin %> task show TASK-000123',
    '<%= config.bin %> task show TASK-000123 --history',
    '<%= config.bin %> task show TASK-000123 --verbose --json',
    '<%= config.bin %> task show TASK-000123 --json version',
  ];
  static override jsonFields = [...taskFields, 'history'];

  static override args = {
    id: Args.string({ required: true, description: 'Task id (TASK-…)' }),
  };

  static override flags = {
    history: Flags.boolean({ description: 'Add the audit trail of the task (a "history" list under --json)' }),
    verbose: Flags.boolean({ description: 'Every field and the audit trail (as --history, which fails offline; this does not)' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(checkTaskRef(this.args.id, 'ID'));
    const withHistory = this.flags.history || this.flags.verbose;
    const [task, history] = await this.data.read(
      'tasks',
      async (client) => {
        const found = await Promise.all([
          this.data.fresh('tasks', id, (ifNoneMatch) => client.tasks.get(id, { ifNoneMatch })),
          withHistory ? allHistory((taskId, params) => client.tasks.history(taskId, params), id) : Promise.resolve(undefined),
        ]);
        return found;
      },
      (store) => {
        if (this.flags.history) throw new CliError('The history of a task is not in the local copy.', { hint: 'Drop --history, or try again when the API is reachable.' });
        const local = store.get('tasks', id);
        if (local === undefined) throw this.notInLocalCopy(id);
        if (this.flags.verbose) this.note(this.colors.dim('The history of a task needs the API: it is not in the local copy.'));
        return [local, undefined] as const;
      },
      isTemporaryId(id) ? { localOnly: `${id} was created offline and is not on the server yet` } : {},
    );
    const shown: Shown = history === undefined ? task : { ...task, history };
    await this.print(shown, (result) => {
      const details = taskDetails(result, this.colors, this.when);
      if (result.history === undefined) return details;
      const title = this.colors.bold(`History (${result.history.length} ${result.history.length === 1 ? 'entry' : 'entries'})`);
      return `${details}\n\n${title}\n${taskHistoryTable(result.history, this.colors, this.tty)}`;
    });
  }
}
