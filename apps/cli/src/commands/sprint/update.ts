import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { sprintFields } from '../../lib/contract-extra.js';
import { sprintDetails } from '../../lib/render/sprints.js';
import { updateSprint } from '../../lib/sprint-operations.js';
import { sprintId, sprintUpdate } from '../../lib/sprints.js';

export default class SprintUpdate extends DtmCommand<typeof SprintUpdate> {
  static override canFallBack = true;
  static override summary = 'Change fields of a sprint';
  static override description =
    'Changes only the fields given (at least one); an empty --goal clears it. ' +
    'With --if-match VERSION the change applies only if the sprint is still at that version (from `sprint show`).';
  static override examples = [
    '<%= config.bin %> sprint update SPR-001 --end 2026-11-16',
    '<%= config.bin %> sprint update SPR-001 --goal "Ship the beta" --if-match 2',
  ];
  static override jsonFields = sprintFields;

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
  };

  static override flags = {
    name: Flags.string({ char: 'n', description: 'New name' }),
    goal: Flags.string({ description: 'New goal ("" clears it)' }),
    start: Flags.string({ description: 'New first day, YYYY-MM-DD' }),
    end: Flags.string({ description: 'New last day, YYYY-MM-DD' }),
    'if-match': Flags.integer({ min: 1, description: 'Only if the sprint is still at this version (412 otherwise)' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(sprintId(this.args.id));
    const changes = sprintUpdate(this.flags);
    const sprint = await updateSprint(this.data, id, changes, this.flags['if-match']);
    if (sprint === null) throw this.notInLocalCopy(id);
    this.note(`${this.colors.green('✓')} Updated sprint ${sprint.id} (version ${sprint.version}).`);
    await this.print(sprint, (result) => sprintDetails(result, this.colors, this.when));
  }
}
