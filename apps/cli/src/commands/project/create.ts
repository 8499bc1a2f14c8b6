import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { projectStatuses } from '../../lib/contract.js';
import { projectFields } from '../../lib/contract-extra.js';
import { createProject, projectCreate } from '../../lib/projects.js';
import { projectDetails } from '../../lib/render/projects.js';

export default class ProjectCreate extends DtmCommand<typeof ProjectCreate> {
  static override canFallBack = true;
  static override summary = 'Create a project';
  static override description = 'Creates a project and prints it. Project names are unique: a taken name fails with exit code 1.';
  static override examples = [
    '<%= config.bin %> project create --name "Website relaunch"',
    '<%= config.bin %> project create --name "Mobile app" --description "iOS and Android" --owner alice',
    '<%= config.bin %> project create --name "Old intranet" --status archived --json id',
  ];
  static override jsonFields = projectFields;

  static override flags = {
    name: Flags.string({ char: 'n', required: true, description: 'Name, unique among projects (1–120 characters)' }),
    description: Flags.string({ char: 'd', description: 'What the project is about' }),
    owner: Flags.string({ description: 'Username of the owner' }),
    status: Flags.option({ options: projectStatuses, description: 'Status (default active)' })(),
  };

  async run(): Promise<void> {
    const body = projectCreate(this.flags);
    const project = await createProject(this.data, body);
    this.note(`${this.colors.green('✓')} Created project ${project.id}.`);
    await this.print(project, (result) => projectDetails(result, this.colors, this.when));
  }
}
