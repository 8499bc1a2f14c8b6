import { Flags } from '@oclif/core';
import type { DtmClient } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { describeError } from '../../lib/describe-error.js';
import { CliError, ExitCode, usageError } from '../../lib/errors.js';
import { conflictTable } from '../../lib/render/conflicts.js';
import { safeText } from '../../lib/render/safe-text.js';
import { dataDir } from '../../lib/paths.js';
import { durationMs } from '../../lib/config.js';
import type { Conflict, LocalStore } from '../../lib/store/store.js';

interface SyncResult {
  applied: number;
  conflicts: Conflict[];
  remaining: number;
  /** What the pull from the change feed brought. */
  pulled: { upserted: number; deleted: number; full: boolean } | null;
  /** With --rebuild: the damaged store moved aside, when it was. */
  moved_aside?: string;
}

export default class Sync extends DtmCommand<typeof Sync> {
  static override summary = 'Send the changes queued offline, then pull what changed on the server';
  static override description =
    'Sends the changes made while the API was unreachable (tasks, projects, sprints), oldest first, each exactly once ' +
    '(POSTs carry their idempotency key, other changes the version they were made on). A change to a record that changed on ' +
    'the server meanwhile is not applied: it becomes a conflict, listed by --conflicts and settled with `dtm sync resolve`. ' +
    'Then it pulls what changed on the server since the last sync from the change feed (deletions included). ' +
    '--watch keeps doing so until Ctrl-C; --rebuild reads everything again (keeping the queued changes), also to repair a damaged store. ' +
    'Exit code 0 when everything was sent, 3 when conflicts are open or changes are still queued.';
  static override examples = [
    '<%= config.bin %> sync',
    '<%= config.bin %> sync --conflicts',
    '<%= config.bin %> sync --watch --interval 5s',
    '<%= config.bin %> sync --rebuild',
    '<%= config.bin %> sync --json',
  ];
  static override jsonFields = ['applied', 'conflicts', 'remaining', 'pulled', 'moved_aside'];

  static override flags = {
    conflicts: Flags.boolean({ description: 'List the open conflicts instead of syncing (no API call)' }),
    watch: Flags.boolean({ description: 'Keep the local store current until interrupted (long-polls the change feed)' }),
    interval: Flags.string({ description: 'With --watch: the longest wait for a change per request, e.g. 5s (1s–30s)', default: '25s' }),
    rebuild: Flags.boolean({ description: 'Read every record from the API again; keeps the queued changes (repairs a damaged store)' }),
  };

  async run(): Promise<void> {
    if (this.flags.conflicts) {
      const open = (await this.data.store())?.conflicts() ?? [];
      await this.print(open, (list) =>
        list.length === 0 ? 'No conflicts.' : `${conflictTable(list, this.colors, this.tty)}\n\nSettle one with \`dtm sync resolve ID --keep local|remote\`.`,
      );
      if (open.length > 0) this.exit(ExitCode.partial);
      return;
    }
    if (this.flags.offline) throw usageError('--offline: `dtm sync` needs the API.', 'Use --conflicts to list the open conflicts offline.');
    if (this.flags.watch && this.flags.rebuild) throw usageError('--watch and --rebuild cannot be used together.', 'Run `dtm sync --rebuild` first, then `dtm sync --watch`.');
    const waitMs = durationMs(this.flags.interval);
    if (!(waitMs >= 1000 && waitMs <= 30_000)) throw usageError(`--interval must be between 1s and 30s, got ${this.flags.interval}.`);

    let movedAside: string | undefined;
    // Where the damaged store went when even its queued changes could not be read from it.
    let outboxLostIn: string | undefined;
    if (this.flags.rebuild) {
      const { prepareRebuild } = await import('../../lib/store/rebuild.js');
      const prepared = prepareRebuild(dataDir(), this.settings.apiUrl);
      movedAside = prepared.report.movedAside;
      if (prepared.report.lost.includes('outbox')) outboxLostIn = movedAside;
      else if (movedAside !== undefined) this.note(`The damaged store was moved to ${movedAside}; ${prepared.report.kept} queued change${prepared.report.kept === 1 ? '' : 's'} carried over.`);
      prepared.store.close();
    }
    const { client, store, report, pulled } = await this.data.sync();
    if (outboxLostIn !== undefined) {
      throw new CliError(`The local store was damaged beyond reading its queued changes; it was moved to ${outboxLostIn}. Everything else was read again from the API into a new store.`, {
        code: 'store_damaged',
        hint: 'The changes queued in the damaged file could not be recovered by dtm; the file is kept for inspection (e.g. with sqlite3).',
      });
    }
    const result: SyncResult = { applied: report.applied, conflicts: store.conflicts(), remaining: report.remaining, pulled, ...(movedAside === undefined ? {} : { moved_aside: movedAside }) };
    if (this.flags.watch) {
      await this.#watch(client, store, Math.round(waitMs / 1000));
      return;
    }
    await this.print(result, (sync) => this.#render(sync, report.stoppedBy));
    if (result.conflicts.length > 0 || result.remaining > 0) this.exit(ExitCode.partial);
  }

  /** Pulls (and sends what other commands queue meanwhile) until SIGINT/SIGTERM. */
  async #watch(client: DtmClient, store: LocalStore, waitSeconds: number): Promise<void> {
    const { pull } = await import('../../lib/store/pull.js');
    const { scheduleMirror } = await import('../../lib/store/mirror.js');
    const stop = new AbortController();
    const end = (): void => {
      stop.abort();
    };
    const stopped = (): boolean => stop.signal.aborted;
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
    this.note(`Watching ${this.settings.apiUrl} for changes (Ctrl-C to stop).`);
    try {
      while (!stopped()) {
        try {
          if (store.pendingCount() > 0) await this.data.push(client, store, true);
          const report = await pull(client, store, { wait: waitSeconds, signal: stop.signal });
          if (report.upserted + report.deleted > 0) {
            this.note(`${new Date().toISOString()} ${report.upserted} changed, ${report.deleted} deleted.`);
            await scheduleMirror(store, this.settings.apiUrl);
          }
        } catch (error) {
          // Ctrl-C aborts the long-poll: that is the end, not a failure.
          if (stopped()) break;
          this.note(`${new Date().toISOString()} ${safeText(describeError(error).message)}; trying again.`);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    } finally {
      process.off('SIGINT', end);
      process.off('SIGTERM', end);
    }
  }

  #render(sync: SyncResult, stoppedBy: unknown): string {
    const { colors } = this;
    const lines: string[] = [];
    if (sync.applied + sync.remaining + sync.conflicts.length === 0) lines.push(`${colors.green('✓')} Nothing was queued: the server has every change.`);
    else lines.push(`${colors.green('✓')} Sent ${sync.applied} change${sync.applied === 1 ? '' : 's'}.`);
    if (sync.pulled !== null) {
      const { upserted, deleted, full } = sync.pulled;
      lines.push(`${colors.green('✓')} ${full ? 'Read everything' : 'Pulled the changes'} from the server: ${upserted} record${upserted === 1 ? '' : 's'} updated, ${deleted} deleted.`);
    }
    if (sync.remaining > 0) lines.push(`${colors.yellow('!')} ${sync.remaining} still queued: ${stoppedBy === undefined ? 'not sent' : describeError(stoppedBy).message}.`);
    if (sync.conflicts.length > 0) {
      lines.push(`${colors.yellow('!')} ${sync.conflicts.length} conflict${sync.conflicts.length === 1 ? '' : 's'}:`, conflictTable(sync.conflicts, colors, this.tty));
      lines.push('Settle one with `dtm sync resolve ID --keep local|remote`.');
    }
    return lines.join('\n');
  }
}
