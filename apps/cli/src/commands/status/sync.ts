import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { ExitCode } from '../../lib/errors.js';
import type { Drift } from '../../lib/offline/compare.js';
import type { Collection, Kind } from '../../lib/offline/local-copy.js';
import { dataDir } from '../../lib/paths.js';
import { details } from '../../lib/render/table.js';

interface SyncStatus {
  api_url: string;
  /** The API whose data the local copy holds (null: none yet). */
  local_copy_of: string | null;
  /** When each file of the local copy was last written. */
  last_sync: Record<Kind, string | null>;
  records: Record<Kind, number | null>;
  /** Changes queued offline, not sent yet. */
  pending: number;
  pending_changes: { task_id: string; action: string; queued_at: string }[];
  conflicts: number;
  drift?: Drift[];
}

export default class StatusSync extends DtmCommand<typeof StatusSync> {
  static override summary = 'Show changes waiting to be sent, conflicts and the local copy';
  static override description =
    'Reads the outbox and the local copy only (no API call), unless --check-csv-drift: then it also reads everything ' +
    'from the API and lists what differs from the local copy (tasks with changes still queued are left out). ' +
    'Exit code 3 when changes are queued, conflicts are open or the copy drifted.';
  static override examples = ['<%= config.bin %> status sync', '<%= config.bin %> status sync --check-csv-drift --json drift'];
  static override jsonFields = ['api_url', 'local_copy_of', 'last_sync', 'records', 'pending', 'pending_changes', 'conflicts', 'drift'];

  static override flags = {
    'check-csv-drift': Flags.boolean({ description: 'Compare the local copy with the API and list the differences' }),
  };

  async run(): Promise<void> {
    const dir = dataDir();
    const [copy, outbox] = await Promise.all([import('../../lib/offline/local-copy.js'), import('../../lib/offline/outbox.js')]);
    const owner = await copy.ownerOf({ dir });
    const collections = await Promise.all(copy.kinds.map(async (kind) => (owner === undefined ? undefined : await copy.readCollection(kind, { dir }))));
    const queue = await outbox.pending(dir);
    const open = await outbox.readConflicts(dir);
    const status: SyncStatus = {
      api_url: this.settings.apiUrl,
      local_copy_of: owner ?? null,
      last_sync: { tasks: null, projects: null, sprints: null },
      records: { tasks: null, projects: null, sprints: null },
      pending: queue.length,
      pending_changes: queue.map((entry) => ({ task_id: entry.target, action: entry.action, queued_at: entry.queued_at })),
      conflicts: open.length,
    };
    copy.kinds.forEach((kind, index) => {
      const collection = collections[index];
      status.last_sync[kind] = collection?.lastSync ?? null;
      status.records[kind] = collection?.records.length ?? null;
    });
    if (this.flags['check-csv-drift']) {
      const { drift, fetchAll } = await import('../../lib/offline/compare.js');
      const remote = await fetchAll(await this.client());
      const queued = new Set(queue.map((entry) => entry.target));
      status.drift = [
        drift('tasks', (collections[0] as Collection<'tasks'> | undefined)?.records ?? [], remote.tasks, queued),
        drift('projects', (collections[1] as Collection<'projects'> | undefined)?.records ?? [], remote.projects, queued),
        drift('sprints', (collections[2] as Collection<'sprints'> | undefined)?.records ?? [], remote.sprints, queued),
      ];
    }
    this.print(status, (result) => this.#render(result));
    const drifted = status.drift?.some((kind) => kind.only_local.length + kind.only_remote.length + kind.changed.length > 0) ?? false;
    if (status.pending > 0 || status.conflicts > 0 || drifted) this.exit(ExitCode.partial);
  }

  #render(status: SyncStatus): string {
    const { colors } = this;
    const kindsLine = (['tasks', 'projects', 'sprints'] as const)
      .map((kind) => `${kind} ${status.records[kind] ?? '-'}${status.last_sync[kind] === null ? '' : ` (${status.last_sync[kind]})`}`)
      .join(', ');
    const lines = [
      details(
        [
          ['API', status.api_url],
          ['local copy', status.local_copy_of === null ? 'none yet' : kindsLine],
          ['queued changes', status.pending === 0 ? '0' : colors.yellow(String(status.pending))],
          ['conflicts', status.conflicts === 0 ? '0' : `${colors.yellow(String(status.conflicts))} (see \`dtm sync --conflicts\`)`],
        ],
        colors,
      ),
    ];
    for (const change of status.pending_changes) lines.push(`  ${change.action} ${change.task_id} (queued ${change.queued_at})`);
    for (const kind of status.drift ?? []) {
      const count = kind.only_local.length + kind.only_remote.length + kind.changed.length;
      if (count === 0) {
        lines.push(`${colors.green('✓')} ${kind.kind}: the local copy matches the API`);
        continue;
      }
      lines.push(`${colors.yellow('!')} ${kind.kind}: ${count} difference${count === 1 ? '' : 's'}`);
      if (kind.only_local.length > 0) lines.push(`  only in the local copy: ${kind.only_local.join(', ')}`);
      if (kind.only_remote.length > 0) lines.push(`  only on the server: ${kind.only_remote.join(', ')}`);
      for (const changed of kind.changed) lines.push(`  ${changed.id} differs in ${changed.fields.join(', ')}`);
    }
    if ((status.drift ?? []).some((kind) => kind.only_local.length + kind.only_remote.length + kind.changed.length > 0)) {
      lines.push('Rebuild the local copy with `dtm project sync`.');
    }
    return lines.join('\n');
  }
}
