import { Args } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { sprintFields } from '../../lib/contract-extra.js';
import { sprintDetails } from '../../lib/render/sprints.js';
import { startSprint } from '../../lib/sprint-operations.js';
import { sprintId } from '../../lib/sprints.js';

export default class SprintStart extends DtmCommand<typeof SprintStart> {
  static override canFallBack = true;
  static override summary = 'Start a planned sprint';
  static override description =
    'Moves a planned sprint to active. A project has at most one active sprint: starting a second one fails with exit code 1.';
  static override examples = ['<%= config.bin %> sprint start SPR-002'];
  static override jsonFields = sprintFields;

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(sprintId(this.args.id));
    const sprint = await startSprint(this.data, id);
    if (sprint === null) throw this.notInLocalCopy(id);
    this.note(`${this.colors.green('✓')} Started sprint ${sprint.id}.`);
    await this.print(sprint, (result) => sprintDetails(result, this.colors, this.when));
  }
}
