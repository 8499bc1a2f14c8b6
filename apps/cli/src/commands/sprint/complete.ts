import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { sprintFields } from '../../lib/contract-extra.js';
import { sprintDetails } from '../../lib/render/sprints.js';
import { explainCompleteConflict, sprintId } from '../../lib/sprints.js';

export default class SprintComplete extends DtmCommand<typeof SprintComplete> {
  static override summary = 'Complete an active sprint';
  static override description = 'Moves an active sprint to completed. Its unfinished tasks stay assigned to it.';
  static override examples = ['<%= config.bin %> sprint complete SPR-001'];
  static override jsonFields = sprintFields;

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
  };

  async run(): Promise<void> {
    const id = sprintId(this.args.id);
    const client = await this.client();
    const sprint = await client.sprints.complete(id).catch((error: unknown) => {
      throw explainCompleteConflict(error, id);
    });
    this.remember('sprints', [sprint]);
    this.note(`${this.colors.green('✓')} Completed sprint ${sprint.id}.`);
    this.print(sprint, (result) => sprintDetails(result, this.colors));
  }
}
