import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { addSprintTasks } from '../../lib/sprint-operations.js';
import { maxTaskIds, sprintId, taskIds } from '../../lib/sprints.js';

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
    const result = await addSprintTasks(this.data, id, taskIds(rest));
    await this.print(result, (assigned) => {
      const count = assigned.task_ids.length;
      return `${this.colors.green('✓')} Added ${count} task${count === 1 ? '' : 's'} to ${assigned.sprint_id}: ${assigned.task_ids.join(', ')}`;
    });
  }
}
