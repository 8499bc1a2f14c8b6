import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { confirmedDelete } from '../../lib/confirmed-delete.js';
import { explainDeleteStale, sprintId } from '../../lib/sprints.js';

export default class SprintDelete extends DtmCommand<typeof SprintDelete> {
  static override canFallBack = true;
  static override summary = 'Delete a sprint';
  static override description =
    'Deletes a sprint for good; its tasks stay and leave the sprint. Asks for confirmation on a terminal; ' +
    'without a terminal (scripts, CI) or with DTM_PROMPT_DISABLED set, pass --yes. Offline the deletion is queued for `dtm sync`.';
  static override examples = ['<%= config.bin %> sprint delete SPR-009', '<%= config.bin %> sprint delete SPR-009 --yes --json'];
  static override jsonFields = ['id', 'deleted'];

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
  };

  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(sprintId(this.args.id));
    await confirmedDelete(this.data, {
      kind: 'sprints',
      id,
      yes: this.flags.yes,
      question: (sprint) => `Delete sprint ${sprint.id} "${sprint.name}" (${sprint.status})? Its tasks stay, outside any sprint.`,
      refused: `Not deleted: ${id} is unchanged.`,
      get: (client, target) => client.sprints.get(target),
      remove: (client, target, ifMatch) => client.sprints.delete(target, ifMatch === undefined ? {} : { ifMatch }),
      explain: explainDeleteStale,
    });
    await this.print({ id, deleted: true }, () => `${this.colors.green('✓')} Deleted sprint ${this.colors.bold(id)}`);
  }
}
