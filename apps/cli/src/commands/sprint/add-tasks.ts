import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { maxTaskIds, sprintId, taskIds } from '../../lib/sprints.js';
import type { SprintTaskAssignmentResult, Task } from '@dtm/sdk';

export default class SprintAddTasks extends DtmCommand<typeof SprintAddTasks> {
  static override canFallBack = true;
  static override summary = 'Assign tasks to a sprint';
  static override description =
    `Puts 1 to ${maxTaskIds} tasks into the sprint: all of them or, when one is unknown or belongs to another project, none. ` +
    "Tasks without a project join the sprint's project.";
  static override examples = [
    '<%= config.bin %> sprint add-tasks SPR-001 TASK-000123 TASK-000124',
    '<%= config.bin %> task list --project PRJ-001 --status pending --all --json id | jq -r ".[].id" | xargs <%= config.bin %> sprint add-tasks SPR-001',
  ];
  static override usage = ['sprint add-tasks ID TASK... [--json]'];
  static override jsonFields = ['sprint_id', 'task_ids'];
  // The task ids are variadic: every argument after the sprint id.
  static override strict = false;

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
    // Not `required`: the count is checked in run() (1 to 500), with a clearer message.
    task: Args.string({ description: `Task ids (TASK-…), 1 to ${maxTaskIds}` }),
  };

  async run(): Promise<void> {
    // The sprint id, then the tasks (strict is off: they are all positional arguments).
    const [first, ...rest] = this.positional;
    const id = await this.data.resolveId(sprintId(first ?? this.args.id));
    const ids = taskIds(rest);
    let result: SprintTaskAssignmentResult = { sprint_id: id, task_ids: ids };
    await this.data.change({ kind: 'sprints', action: 'add-tasks', target: id, task_ids: ids }, async (client, change, idempotencyKey) => {
      result = await client.sprints.assignTasks(change.target, (change as typeof change & { task_ids: string[] }).task_ids, { idempotencyKey });
      // The API answers with ids only, and each task is at a new version now: read them again,
      // or a later offline change of one would be sent on its old version (a false conflict).
      const moved = new Set(result.task_ids);
      const tasks: Task[] = [];
      for await (const task of client.tasks.listAll({ sprint_id: result.sprint_id }, { pageSize: 1000 })) if (moved.has(task.id)) tasks.push(task);
      await this.data.remember('tasks', tasks);
      return null;
    });
    await this.print(result, (assigned) => {
      const count = assigned.task_ids.length;
      return `${this.colors.green('✓')} Added ${count} task${count === 1 ? '' : 's'} to ${assigned.sprint_id}: ${assigned.task_ids.join(', ')}`;
    });
  }
}
