import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { maxTaskIds, sprintId, taskIds } from '../../lib/sprints.js';

export default class SprintAddTasks extends DtmCommand<typeof SprintAddTasks> {
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
    // With strict off, every positional argument is in argv: the sprint id, then the tasks.
    const { argv } = await this.parse({
      flags: SprintAddTasks.flags,
      baseFlags: DtmCommand.baseFlags,
      enableJsonFlag: false,
      args: SprintAddTasks.args,
      strict: false,
    });
    const [first, ...rest] = argv as string[];
    const id = sprintId(first ?? this.args.id);
    const ids = taskIds(rest);
    const client = await this.client();
    const result = await client.sprints.assignTasks(id, ids);
    // The API answers with ids only: move the copies of these tasks into the sprint (their
    // version and updated_at are refreshed by the next read of them).
    this.patchRemembered('tasks', result.task_ids, { sprint_id: result.sprint_id });
    this.print(result, (assigned) => {
      const count = assigned.task_ids.length;
      return `${this.colors.green('✓')} Added ${count} task${count === 1 ? '' : 's'} to ${assigned.sprint_id}: ${assigned.task_ids.join(', ')}`;
    });
  }
}
