import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { projectStatuses } from '../../lib/contract.js';
import { projectFields } from '../../lib/contract-extra.js';
import { projectId, projectUpdate, updateProject } from '../../lib/projects.js';
import { projectDetails } from '../../lib/render/projects.js';

export default class ProjectUpdate extends DtmCommand<typeof ProjectUpdate> {
  static override canFallBack = true;
  static override summary = 'Change fields of a project';
  static override description =
    'Changes only the fields given (at least one); an empty --description or --owner clears it. ' +
    'With --if-match VERSION the change applies only if the project is still at that version (from `project show`).';
  static override examples = [
    '<%= config.bin %> project update PRJ-001 --name "Website relaunch 2"',
    '<%= config.bin %> project update PRJ-004 --status archived',
    '<%= config.bin %> project update PRJ-001 --owner "" --if-match 3',
  ];
  static override jsonFields = projectFields;

  static override args = {
    id: Args.string({ required: true, description: 'Project id (PRJ-…)' }),
  };

  static override flags = {
    name: Flags.string({ char: 'n', description: 'New name, unique among projects' }),
    description: Flags.string({ char: 'd', description: 'New description ("" clears it)' }),
    owner: Flags.string({ description: 'New owner username ("" clears it)' }),
    status: Flags.option({ options: projectStatuses, description: 'New status' })(),
    'if-match': Flags.integer({ min: 1, description: 'Only if the project is still at this version (412 otherwise)' }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(projectId(this.args.id));
    const changes = projectUpdate(this.flags);
    const ifMatch = this.flags['if-match'];
    const project = await updateProject(this.data, id, changes, ifMatch);
    if (project === null) throw this.notInLocalCopy(id);
    this.note(`${this.colors.green('✓')} Updated project ${project.id} (version ${project.version}).`);
    await this.print(project, (result) => projectDetails(result, this.colors, this.when));
  }
}
