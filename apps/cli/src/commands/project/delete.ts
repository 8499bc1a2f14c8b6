import { Args, Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { CliError, usageError } from '../../lib/errors.js';
import { explainDeleteConflict, projectId } from '../../lib/projects.js';
import { promptLine } from '../../lib/prompt.js';
import type { AnyRecord } from '../../lib/store/records.js';
import type { Project } from '@dtm/sdk';

export default class ProjectDelete extends DtmCommand<typeof ProjectDelete> {
  static override canFallBack = true;
  static override summary = 'Delete a project';
  static override description =
    'Deletes a project that has no tasks and no sprints left; otherwise it fails with exit code 1 and says what is left ' +
    '(archive it instead with `project update ID --status archived`). Asks for confirmation on a terminal; ' +
    'without a terminal (scripts, CI) pass --yes.';
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
    if (!this.flags.yes && !process.stdin.isTTY) {
      throw usageError(`Deleting ${id} needs confirmation, and there is no terminal to ask.`, 'Pass --yes to delete without asking.');
    }
    const confirm = async (record: AnyRecord): Promise<void> => {
      const project = record as Project;
      const answer = await promptLine(`Delete project ${project.id} "${project.name}"? This cannot be undone. [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('Not deleted.', { code: 'cancelled' });
    };
    const target = await this.data.resolveId(id);
    await this.data.change(
      { kind: 'projects', action: 'delete', target },
      async (client, change) => {
        let version: number | undefined;
        if (!this.flags.yes) {
          const project = await client.projects.get(change.target);
          await confirm(project);
          // Delete what was confirmed: a change made in the meantime makes the call fail (412).
          version = project.version;
        }
        try {
          await client.projects.delete(change.target, version === undefined ? undefined : { ifMatch: version });
        } catch (error) {
          throw explainDeleteConflict(error, change.target);
        }
        await this.data.forget('projects', [change.target]);
        return null;
      },
      this.flags.yes ? {} : { confirmQueued: confirm },
    );
    await this.print({ id, deleted: true }, () => `${this.colors.green('✓')} Deleted project ${id}.`);
  }
}
