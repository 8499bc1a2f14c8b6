import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { confirmedDelete } from '../../lib/confirmed-delete.js';
import { explainDeleteConflict, projectId } from '../../lib/projects.js';

export default class ProjectDelete extends DtmCommand<typeof ProjectDelete> {
  static override canFallBack = true;
  static override summary = 'Delete a project';
  static override description =
    'Deletes a project that has no tasks and no sprints left; otherwise it fails with exit code 1 and says what is left ' +
    '(archive it instead with `project update ID --status archived`). Asks for confirmation on a terminal; ' +
    'without a terminal (scripts, CI) or with DTM_PROMPT_DISABLED set, pass --yes.';
  static override examples = ['<%= config.bin %> project delete PRJ-007', '<%= config.bin %> project delete PRJ-007 --yes --json'];
  static override jsonFields = ['id', 'deleted'];

  static override args = {
    id: Args.string({ required: true, description: 'Project id (PRJ-…)' }),
  };

  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation' }),
  };

  async run(): Promise<void> {
    const id = projectId(this.args.id);
    await confirmedDelete(this.data, {
      kind: 'projects',
      id: await this.data.resolveId(id),
      yes: this.flags.yes,
      question: (project) => `Delete project ${project.id} "${project.name}"? This cannot be undone.`,
      refused: 'Not deleted.',
      get: (client, target) => client.projects.get(target),
      remove: (client, target, ifMatch) => client.projects.delete(target, ifMatch === undefined ? undefined : { ifMatch }),
      explain: explainDeleteConflict,
    });
    await this.print({ id, deleted: true }, () => `${this.colors.green('✓')} Deleted project ${id}.`);
  }
}
