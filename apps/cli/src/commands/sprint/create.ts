import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { localToday } from '../../lib/calendar.js';
import { sprintFields } from '../../lib/contract-extra.js';
import { projectId } from '../../lib/projects.js';
import { sprintDetails } from '../../lib/render/sprints.js';
import { checkDateFlags, defaultLength, latestEnd, needsProjectSprints, sprintDates } from '../../lib/sprint-dates.js';
import { createSprint, listAllSprints } from '../../lib/sprint-operations.js';
import { isTemporaryId } from '../../lib/store/changes.js';
import type { Sprint } from '@dtm/sdk';
import { sprintCreate } from '../../lib/sprints.js';

export default class SprintCreate extends DtmCommand<typeof SprintCreate> {
  static override canFallBack = true;
  static override summary = 'Create a sprint';
  static override description =
    'Creates a planned sprint in a project and prints it. The dates are calendar days (YYYY-MM-DD); the end may not be before the start. ' +
    'Without --start the sprint starts today, or the day after the project’s latest sprint ends when that is later; ' +
    `without --end it lasts --length (default ${defaultLength}: a sprint starting on a Monday ends on the Sunday 13 days later).`;
  static override examples = [
    '<%= config.bin %> sprint create --name "Sprint 1" --project PRJ-001',
    '<%= config.bin %> sprint create --name "Sprint 12" --project PRJ-001 --start 2026-11-02 --length 10d',
    '<%= config.bin %> sprint create --name "Hardening" --project PRJ-002 --start 2026-11-16 --end 2026-11-20 --goal "No open P1 bugs" --json id',
  ];
  static override jsonFields = sprintFields;

  static override flags = {
    name: Flags.string({ char: 'n', required: true, description: 'Name (1–120 characters)' }),
    project: Flags.string({ required: true, description: 'Project of the sprint (PRJ-…)' }),
    start: Flags.string({ description: 'First day, YYYY-MM-DD (default: today, or the day after the project’s latest sprint ends)' }),
    end: Flags.string({ description: 'Last day, YYYY-MM-DD (default: from --length)' }),
    length: Flags.string({ description: `How long, in days or weeks: 10d, 2w (default ${defaultLength}; not with --end)` }),
    goal: Flags.string({ description: 'What the sprint should achieve' }),
  };

  async run(): Promise<void> {
    checkDateFlags(this.flags);
    const today = localToday();
    const latest = needsProjectSprints(this.flags) ? latestEnd(await this.#projectSprints(projectId(this.flags.project))) : undefined;
    const body = sprintCreate({ ...this.flags, ...sprintDates(this.flags, today, latest) });
    const sprint = await createSprint(this.data, body);
    this.note(`${this.colors.green('✓')} Created sprint ${sprint.id} (planned); start it with \`dtm sprint start ${sprint.id}\`.`);
    await this.print(sprint, (result) => sprintDetails(result, this.colors, this.when));
  }

  /** The project's sprints: from the API, or the local store offline (and for a project created offline). */
  async #projectSprints(project: string): Promise<Sprint[]> {
    const id = await this.data.resolveId(project);
    return listAllSprints(this.data, { project_id: id }, isTemporaryId(id) ? { localOnly: `${id} is not on the server yet` } : {});
  }
}
