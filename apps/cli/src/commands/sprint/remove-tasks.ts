import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
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
    const ids = taskIds(rest);
    // One change per task (the API takes them one at a time), in order.
    for (const taskId of ids) {
      await this.data.change({ kind: 'sprints', action: 'remove-task', target: id, task_id: taskId }, async (client, change) => {
        const { target, task_id: resolved } = change as typeof change & { task_id: string };
        await client.sprints.unassignTask(target, resolved);
        await this.data.remember('tasks', [await client.tasks.get(resolved)]);
        return null;
      });
    }
    const result = { sprint_id: id, task_ids: ids };
    await this.print(result, (removed) => {
      const count = removed.task_ids.length;
      return `${this.colors.green('✓')} Took ${count} task${count === 1 ? '' : 's'} out of ${removed.sprint_id}: ${removed.task_ids.join(', ')}`;
    });
  }
}
