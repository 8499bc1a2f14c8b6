import { Args, Flags } from '@oclif/core';
import type { Burndown } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { burndownFields } from '../../lib/contract-extra.js';
import { burndownChart } from '../../lib/render/chart.js';
import { burndownSummaryLine, burndownTable } from '../../lib/render/sprints.js';
import { sprintBurndown } from '../../lib/sprint-operations.js';
import { sprintId, summariseBurndown } from '../../lib/sprints.js';

export default class SprintBurndown extends DtmCommand<typeof SprintBurndown> {
  static override summary = 'Chart the burndown of a sprint';
  static override description =
    'On a terminal, draws the tasks remaining at the end of each day against the ideal line from the scope down to zero ' +
    '(days still to come are not drawn), with a line of where the sprint stands: scope, done, remaining. ' +
    'When stdout is not a terminal it prints one tab-separated line per day instead: date, remaining, completed, ideal ' +
    '("-" for days to come); --chart and --no-chart choose either way. --json prints the series: ' +
    '{sprint_id, unit, start_date, end_date, scope, points: [{date, remaining, ideal, completed}]}.';
  static override examples = [
    '<%= config.bin %> sprint burndown SPR-001',
    '<%= config.bin %> sprint burndown SPR-001 --no-chart > burndown.tsv',
    '<%= config.bin %> sprint burndown SPR-001 --json points',
  ];
  static override jsonFields = burndownFields;

  static override args = {
    id: Args.string({ required: true, description: 'Sprint id (SPR-…)' }),
  };

  static override flags = {
    chart: Flags.boolean<boolean | undefined>({
      allowNo: true,
      description: 'Draw the chart (default on a terminal); --no-chart prints the table of days instead',
    }),
  };

  async run(): Promise<void> {
    const burndown = await sprintBurndown(this.data, sprintId(this.args.id));
    const chart = this.flags.chart ?? this.tty;
    await this.print(burndown, (result: Burndown) => {
      const summary = burndownSummaryLine(summariseBurndown(result), result);
      if (!chart) {
        // The rows alone on stdout, so they can be processed; the summary is for a person.
        this.note(summary);
        return burndownTable(result.points, this.colors, this.tty);
      }
      const width = Math.max(20, Math.min(60, (process.stdout.columns || 80) - 12));
      const title = this.colors.bold(`Burndown of ${result.sprint_id}, ${result.start_date} → ${result.end_date} (${result.unit})`);
      return `${title}\n\n${burndownChart(result, { colors: this.colors, width })}\n\n${summary}`;
    });
  }
}
