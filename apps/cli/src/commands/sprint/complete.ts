import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { sprintFields } from '../../lib/contract-extra.js';
import { sprintDetails } from '../../lib/render/sprints.js';
import { completeSprint } from '../../lib/sprint-operations.js';
import { sprintId } from '../../lib/sprints.js';

export default class SprintComplete extends DtmCommand<typeof SprintComplete> {
  static override canFallBack = true;
  static override summary = 'Complete an active sprint';
  static override description = 'Moves an active sprint to completed. Its unfinished tasks stay assigned to it.';
  static override examples = ['<%= config.bin %> sprint complete SPR-001'];
  static override jsonFields = sprintFields;

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(sprintId(this.args.id));
    const sprint = await completeSprint(this.data, id);
    if (sprint === null) throw this.notInLocalCopy(id);
    this.note(`${this.colors.green('✓')} Completed sprint ${sprint.id}.`);
    await this.print(sprint, (result) => sprintDetails(result, this.colors, this.when));
  }
}
