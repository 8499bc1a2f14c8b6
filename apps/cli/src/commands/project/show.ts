import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { projectFields } from '../../lib/contract-extra.js';
import { projectId, projectWithTasks } from '../../lib/projects.js';
import { selectFields } from '../../lib/render/json.js';
import { projectDetails, projectWithTasksText } from '../../lib/render/projects.js';

export default class ProjectShow extends DtmCommand<typeof ProjectShow> {
  static override canFallBack = true;
  static override summary = 'Show a project';
  static override description =
    'Shows one project. With --include-tasks it also counts its tasks by status and priority and lists every one of them; ' +
    'the JSON is then {project, summary, tasks}, and `--json a,b` selects fields of the project.';
  static override examples = [
    '<%= config.bin %> project show PRJ-001',
    '<%= config.bin %> project show PRJ-001 --include-tasks',
    '<%= config.bin %> project show PRJ-001 --include-tasks --json',
  ];
  static override jsonFields = projectFields;

  static override args = {
    id: Args.string({ required: true, description: 'Project id (PRJ-…)' }),
  };

  static override flags = {
    'include-tasks': Flags.boolean({ description: "Also the project's task counts and all of its tasks" }),
  };

  async run(): Promise<void> {
    const id = await this.data.resolveId(projectId(this.args.id));
    if (!this.flags['include-tasks']) {
      const project = await this.data.record('projects', id, (client, ifNoneMatch) => client.projects.get(id, { ifNoneMatch }));
      await this.print(project, (result) => projectDetails(result, this.colors, this.when));
      return;
    }
    // The summary is the server's: --include-tasks is not answered from the local copy.
    const client = await this.client();
    const result = await projectWithTasks(client, id);
    await this.data.remember('projects', [result.project]);
    await this.data.remember('tasks', result.tasks);
    // Selected fields apply to the project, the one resource of the three.
    const fields = this.fields;
    this.fields = undefined;
    await this.print({ ...result, project: selectFields(result.project, fields) as typeof result.project }, () =>
      projectWithTasksText(result, this.colors, this.tty),
    );
  }
}
