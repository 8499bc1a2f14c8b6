import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { describeError } from '../../lib/describe-error.js';
import { CliError, ExitCode, usageError } from '../../lib/errors.js';
import { conflictTable } from '../../lib/offline/conflicts.js';
import type { Conflict } from '../../lib/offline/outbox.js';
import { dataDir } from '../../lib/paths.js';

interface SyncResult {
  applied: number;
  conflicts: Conflict[];
  remaining: number;
}

export default class Sync extends DtmCommand<typeof Sync> {
  static override summary = 'Send the changes queued offline; list conflicts';
  static override description =
    'Sends the task changes made while the API was unreachable, oldest first, each exactly once (creates carry their ' +
    'idempotency key, other changes the version they were made on). A change to a task that changed on the server ' +
    'meanwhile is not applied: it becomes a conflict, listed by --conflicts and settled with `dtm sync resolve`. ' +
    'Any command that reaches the API sends the queued changes first as well. ' +
    'Exit code 0 when everything was sent, 3 when conflicts are open or changes are still queued.';
  static override examples = ['<%= config.bin %> sync', '<%= config.bin %> sync --conflicts', '<%= config.bin %> sync --json'];
  static override jsonFields = ['applied', 'conflicts', 'remaining'];

  static override flags = {
    conflicts: Flags.boolean({ description: 'List the open conflicts instead of sending (no API call)' }),
  };

  async run(): Promise<void> {
    const dir = dataDir();
    const outbox = await import('../../lib/offline/outbox.js');
    if (this.flags.conflicts) {
      const open = await outbox.readConflicts(dir);
      this.print(open, (list) =>
        list.length === 0 ? 'No conflicts.' : `${conflictTable(list, this.colors, this.tty)}\n\nSettle one with \`dtm sync resolve ID --keep local|remote\`.`,
      );
      if (open.length > 0) this.exit(ExitCode.partial);
      return;
    }
    if (this.flags.offline) throw usageError('--offline: `dtm sync` needs the API.', 'Use --conflicts to list the open conflicts offline.');
    const { client } = await this.connection();
    const { syncNow } = await import('../../lib/offline/sync.js');
    const report = await syncNow(client, this.settings.apiUrl, dir);
    if (report.stoppedBy !== undefined && report.applied === 0) {
      const { message, hint } = describeError(report.stoppedBy);
      throw new CliError(`${message}; ${report.remaining} change${report.remaining === 1 ? '' : 's'} still queued.`, {
        code: 'unreachable',
        cause: report.stoppedBy,
        ...(hint === undefined ? {} : { hint }),
      });
    }
    const open = await outbox.readConflicts(dir);
    const result: SyncResult = { applied: report.applied, conflicts: open, remaining: report.remaining };
    this.print(result, (sync) => this.#render(sync, report.stoppedBy));
    if (open.length > 0 || report.remaining > 0) this.exit(ExitCode.partial);
  }

  #render(sync: SyncResult, stoppedBy: unknown): string {
    const { colors } = this;
    if (sync.applied + sync.remaining + sync.conflicts.length === 0) return `${colors.green('✓')} Nothing was queued: the server has every change.`;
    const lines = [`${colors.green('✓')} Sent ${sync.applied} change${sync.applied === 1 ? '' : 's'}.`];
    if (sync.remaining > 0) {
      const why = stoppedBy === undefined ? 'they belong to another API URL' : describeError(stoppedBy).message;
      lines.push(`${colors.yellow('!')} ${sync.remaining} still queued: ${why}.`);
    }
    if (sync.conflicts.length > 0) {
      lines.push(`${colors.yellow('!')} ${sync.conflicts.length} conflict${sync.conflicts.length === 1 ? '' : 's'}:`, conflictTable(sync.conflicts, colors, this.tty));
      lines.push('Settle one with `dtm sync resolve ID --keep local|remote`.');
    }
    return lines.join('\n');
  }
}
