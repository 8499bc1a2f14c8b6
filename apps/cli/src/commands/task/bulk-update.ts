import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { taskPriorities, taskStatuses } from '../../lib/contract.js';
import { usageError } from '../../lib/errors.js';
import { showProgress, startProgress } from '../../lib/render/progress.js';
import { table } from '../../lib/render/table.js';
import { bulkExitCode, maxBatchSize, taskCount as count } from '../../lib/tasks/bulk.js';
import { describeChanges, taskChanges } from '../../lib/tasks/changes.js';
import { describeFilters, filterKeys, parseFilters } from '../../lib/tasks/filters.js';
import { bulkUpdateTasks } from '../../lib/tasks/operations.js';

export default class TaskBulkUpdate extends DtmCommand<typeof TaskBulkUpdate> {
  static override canFallBack = true;
  static override summary = 'Change every task that matches filters';
  static override description =
    'Finds the tasks matching every --filter, then changes them through the bulk endpoint, in batches sent a few at a time. ' +
    'Each task is changed only if it is still at the version that was listed. Failures are reported per task; the exit code ' +
    'is 0 when every task was updated, 3 when some failed and 1 when all failed. --dry-run shows what would change and changes nothing.';
  static override examples = [
    '<%= config.bin %> task bulk-update --filter project_id=PRJ-001 --status completed --dry-run',
    '<%= config.bin %> task bulk-update --filter project_id=PRJ-001 --filter status=pending,blocked --priority high',
    '<%= config.bin %> task bulk-update --filter assignee=bob --assignee alice --json',
  ];
  static override jsonFields = ['matched', 'updated', 'failed', 'dry_run', 'failures', 'preview'];

  static override flags = {
    filter: Flags.string({
      multiple: true,
      required: true,
      description: `Which tasks: key=value, repeatable; keys ${filterKeys.join(', ')} (status and priority take lists: status=pending,blocked)`,
    }),
    status: Flags.option({ options: taskStatuses, description: 'Set the status' })(),
    priority: Flags.option({ options: taskPriorities, description: 'Set the priority' })(),
    assignee: Flags.string({ description: 'Assign to this user' }),
    'clear-assignee': Flags.boolean({ description: 'Unassign' }),
    sprint: Flags.string({ description: 'Move into this sprint (SPR-…); tasks of other projects fail' }),
    'clear-sprint': Flags.boolean({ description: 'Take out of their sprint' }),
    'dry-run': Flags.boolean({ description: 'List what would change; change nothing' }),
    'batch-size': Flags.integer({ min: 1, max: maxBatchSize, default: 100, description: `Tasks per bulk request (1–${maxBatchSize})` }),
    concurrency: Flags.integer({ min: 1, max: 16, default: 4, description: 'Bulk requests in flight at once (1–16)' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const filters = parseFilters(flags.filter);
    const changes = taskChanges({
      status: flags.status,
      priority: flags.priority,
      assignee: flags.assignee,
      sprint: flags.sprint,
      'clear-assignee': flags['clear-assignee'],
      'clear-sprint': flags['clear-sprint'],
    });
    if (Object.keys(changes).length === 0) {
      throw usageError('Nothing to change.', 'Pass at least one of --status, --priority, --assignee, --clear-assignee, --sprint, --clear-sprint.');
    }
    const matching = describeFilters(filters);
    const dryRun = flags['dry-run'];
    const result = await bulkUpdateTasks(this.data, filters, changes, {
      dryRun,
      batchSize: flags['batch-size'],
      concurrency: flags.concurrency,
      progress: (total) => startProgress({ enabled: showProgress(this.json), label: 'Updating', unit: 'tasks', total }),
    });

    if (dryRun) {
      const preview = result.preview ?? [];
      await this.print(result, () => {
        if (preview.length === 0) return `No tasks match ${matching}; nothing would change.`;
        const rows = table(
          preview,
          [
            { header: 'id', value: (row) => row.id },
            { header: 'title', value: (row) => row.title, max: 48, shrink: 1 },
            { header: 'would change', value: (row) => (row.changes.length === 0 ? '(already so)' : describeChanges(row.changes)), shrink: 2 },
          ],
          this.colors,
          this.tty,
        );
        return `Dry run: ${count(preview.length)} match ${matching}; nothing was changed.\n${rows}`;
      });
      return;
    }

    if (this.data.local !== undefined) {
      if (result.matched === 0) {
        // Nothing queued: no "queued; N changes waiting" note for what is not this command's doing.
        const waiting = (await this.data.store())?.pendingCount() ?? 0;
        const already = waiting === 0 ? '' : ` (${waiting} change${waiting === 1 ? '' : 's'} already waiting for \`dtm sync\`)`;
        await this.print(result, () => `No task in the local copy matches ${matching}; nothing new queued${already}.`);
        return;
      }
      await this.print(result, () => `${this.colors.yellow('!')} Queued ${count(result.updated)} matching ${matching} for \`dtm sync\`.`);
      return;
    }

    await this.print(result, () => {
      if (result.matched === 0) return `No tasks match ${matching}; nothing to update.`;
      if (result.failed === 0) return `${this.colors.green('✓')} Updated ${count(result.updated)} matching ${matching}.`;
      const mark = result.updated === 0 ? this.colors.red('✗') : this.colors.yellow('!');
      const rows = table(
        result.failures,
        [
          { header: 'id', value: (failure) => failure.id },
          { header: 'status', value: (failure) => (failure.status === null ? '-' : String(failure.status)) },
          { header: 'error', value: (failure) => failure.message, shrink: 1 },
        ],
        this.colors,
        this.tty,
      );
      return `${mark} Updated ${result.updated} of ${count(result.matched)} matching ${matching}; ${result.failed} failed:\n${rows}`;
    });
    const code = bulkExitCode(result);
    if (code !== 0) this.exit(code);
  }
}
