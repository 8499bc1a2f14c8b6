import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { removeSprintTasks } from '../../lib/sprint-operations.js';
import { maxTaskIds, sprintId, taskIds } from '../../lib/sprints.js';

export default class SprintRemoveTasks extends DtmCommand<typeof SprintRemoveTasks> {
  static override canFallBack = true;
  static override summary = 'Take tasks out of a sprint';
  static override description = `Takes 1 to ${maxTaskIds} tasks out of the sprint, one after the other (they keep their project); a task that is not in the sprint stops the command with exit code 1.`;
  static override examples = ['<%= config.bin %> sprint remove-tasks SPR-001 TASK-000123 TASK-000124'];
  static override usage = ['sprint remove-tasks ID TASK... [--json]'];
  static override jsonFields = ['sprint_id', 'task_ids'];
  // The task ids are variadic: every argument after the sprint id.
  static override strict = false;

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
    task: Args.string({ description: `Task ids (TASK-…), 1 to ${maxTaskIds}` }),
  };

  async run(): Promise<void> {
    // The sprint id, then the tasks (strict is off: they are all positional arguments).
    const [first, ...rest] = this.positional;
    const id = await this.data.resolveId(sprintId(first ?? this.args.id));
    const result = await removeSprintTasks(this.data, id, taskIds(rest));
    await this.print(result, (removed) => {
      const count = removed.task_ids.length;
      return `${this.colors.green('✓')} Took ${count} task${count === 1 ? '' : 's'} out of ${removed.sprint_id}: ${removed.task_ids.join(', ')}`;
    });
  }
}
