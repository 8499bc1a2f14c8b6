import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { sprintFields } from '../../lib/contract-extra.js';
import { sprintDetails } from '../../lib/render/sprints.js';
import { getSprint } from '../../lib/sprint-operations.js';
import { countByStatus, sprintId, sprintTasks } from '../../lib/sprints.js';
import { isTemporaryId } from '../../lib/store/changes.js';

export default class SprintShow extends DtmCommand<typeof SprintShow> {
  static override canFallBack = true;
  static override summary = 'Show a sprint';
  static override description =
    "Shows one sprint, with its tasks counted by status. The JSON is the sprint itself; list its tasks with `dtm task list --sprint ID`.";
  static override examples = ['<%= config.bin %> sprint show SPR-001', '<%= config.bin %> sprint show SPR-001 --json status,end_date'];
  static override jsonFields = sprintFields;

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(sprintId(this.args.id));
    // The JSON is the sprint alone; the text also counts its tasks by status.
    if (this.json) {
      await this.print(await getSprint(this.data, id), () => '');
      return;
    }
    const { sprint, tasks } = await this.data.read(
      'sprints',
      async (client) => {
        const found = await this.data.fresh('sprints', id, (ifNoneMatch) => client.sprints.get(id, { ifNoneMatch }));
        const ofSprint = await sprintTasks(client, id);
        await this.data.remember('tasks', ofSprint);
        return { sprint: found, tasks: ofSprint };
      },
      (store) => {
        const local = store.get('sprints', id);
        if (local === undefined) throw this.notInLocalCopy(id);
        return { sprint: local, tasks: store.all('tasks', { sprint_id: id }) };
      },
      isTemporaryId(id) ? { localOnly: `${id} was created offline and is not on the server yet` } : {},
    );
    await this.print(sprint, (result) => sprintDetails(result, this.colors, this.when, countByStatus(tasks)));
  }
}
