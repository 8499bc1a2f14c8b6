import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { sprintFields } from '../../lib/contract-extra.js';
import { sprintDetails } from '../../lib/render/sprints.js';
import { temporaryId } from '../../lib/store/changes.js';
import type { Sprint } from '@dtm/sdk';
import { sprintCreate } from '../../lib/sprints.js';

export default class SprintCreate extends DtmCommand<typeof SprintCreate> {
  static override canFallBack = true;
  static override summary = 'Create a sprint';
  static override description =
    'Creates a planned sprint in a project and prints it. The dates are calendar days (YYYY-MM-DD); the end may not be before the start.';
  static override examples = [
    '<%= config.bin %> sprint create --name "Sprint 12" --project PRJ-001 --start 2026-11-02 --end 2026-11-13',
    '<%= config.bin %> sprint create --name "Hardening" --project PRJ-002 --start 2026-11-16 --end 2026-11-20 --goal "No open P1 bugs" --json id',
  ];
  static override jsonFields = sprintFields;

  static override flags = {
    name: Flags.string({ char: 'n', required: true, description: 'Name (1–120 characters)' }),
    project: Flags.string({ required: true, description: 'Project of the sprint (PRJ-…)' }),
    start: Flags.string({ required: true, description: 'First day, YYYY-MM-DD' }),
    end: Flags.string({ required: true, description: 'Last day, YYYY-MM-DD' }),
    goal: Flags.string({ description: 'What the sprint should achieve' }),
  };

  async run(): Promise<void> {
    const body = sprintCreate(this.flags);
    const sprint = (await this.data.change({ kind: 'sprints', action: 'create', target: temporaryId('sprints'), body }, async (client, change, idempotencyKey) => {
      const created = await client.sprints.create((change as typeof change & { body: typeof body }).body, { idempotencyKey });
      await this.data.remember('sprints', [created]);
      return created;
    })) as Sprint;
    this.note(`${this.colors.green('✓')} Created sprint ${sprint.id} (planned); start it with \`dtm sprint start ${sprint.id}\`.`);
    await this.print(sprint, (result) => sprintDetails(result, this.colors, this.when));
  }
}
