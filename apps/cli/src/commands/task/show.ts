import { Args, Flags } from '@oclif/core';
import type { Task, TaskHistoryEntry } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { taskFields } from '../../lib/contract.js';
import { taskHistoryTable } from '../../lib/render/task-history.js';
import { taskDetails } from '../../lib/render/tasks.js';
import { allHistory } from '../../lib/tasks/history.js';
import { checkId } from '../../lib/tasks/values.js';

type Shown = Task & { history?: TaskHistoryEntry[] };

export default class TaskShow extends DtmCommand<typeof TaskShow> {
  static override summary = 'Show a task';
  static override description = 'Shows every field of one task; --history adds its audit trail (who changed what, when), oldest first.';
  static override examples = [
    '<%= config.bin %> task show TASK-000123',
    '<%= config.bin %> task show TASK-000123 --history',
    '<%= config.bin %> task show TASK-000123 --json version',
  ];
  static override jsonFields = [...taskFields, 'history'];

  static override args = {
    id: Args.string({ required: true, description: 'Task id (TASK-…)' }),
  };

  static override flags = {
    history: Flags.boolean({ description: 'Add the audit trail of the task (a "history" list under --json)' }),
  };

  async run(): Promise<void> {
    const id = checkId('task', this.args.id, 'ID');
    const client = await this.client();
    const [task, history] = await Promise.all([
      client.tasks.get(id),
      this.flags.history ? allHistory((taskId, params) => client.tasks.history(taskId, params), id) : Promise.resolve(undefined),
    ]);
    const shown: Shown = history === undefined ? task : { ...task, history };
    this.print(shown, (result) => {
      const details = taskDetails(result, this.colors);
      if (result.history === undefined) return details;
      const title = this.colors.bold(`History (${result.history.length} ${result.history.length === 1 ? 'entry' : 'entries'})`);
      return `${details}\n\n${title}\n${taskHistoryTable(result.history, this.colors, this.tty)}`;
    });
  }
}
