import { Flags } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import { DtmCommand } from '../../base-command.js';
import { ExitCode } from '../../lib/errors.js';
import type { Drift } from '../../lib/store/compare.js';
import { type Kind, kinds } from '../../lib/store/records.js';
import { details } from '../../lib/render/table.js';

interface MirrorState {
  file: string;
  /** The file was written from the store as it is now. */
  current: boolean;
  /** With --check-csv-drift: the file's rows equal the store's. */
  matches_store?: boolean;
}

interface SyncStatus {
  api_url: string;
  /** The store file of this API (null: nothing was synced from it yet). */
  store: string | null;
  /** When records of each kind last came from the API. */
  last_sync: Record<Kind, string | null>;
  records: Record<Kind, number | null>;
  /** Changes queued offline, not sent yet. */
  pending: number;
  pending_changes: { kind: Kind; record_id: string; action: string; queued_at: string }[];
  conflicts: number;
  mirror: Record<Kind, MirrorState> | null;
  drift?: Drift[];
}

export default class StatusSync extends DtmCommand<typeof StatusSync> {
  static override summary = 'Show changes waiting to be sent, conflicts, the local store and its CSV mirror';
  static override description =
    'Reads the local store of the API only (no API call), unless --check-csv-drift: then it also compares the CSV mirror ' +
    'with the store, reads everything from the API and lists what differs from the store (records with changes still ' +
    'queued are left out). Exit code 3 when changes are queued, conflicts are open or anything drifted.';
  static override examples = ['<%= config.bin %> status sync', '<%= config.bin %> status sync --check-csv-drift --json drift'];
  static override jsonFields = ['api_url', 'store', 'last_sync', 'records', 'pending', 'pending_changes', 'conflicts', 'mirror', 'drift'];

  static override flags = {
    'check-csv-drift': Flags.boolean({ description: 'Compare the CSV mirror, the local store and the API, and list the differences' }),
  };

  async run(): Promise<void> {
    const store = await this.data.store();
    const status: SyncStatus = {
      api_url: this.settings.apiUrl,
      store: store?.file ?? null,
      last_sync: { tasks: null, projects: null, sprints: null },
      records: { tasks: null, projects: null, sprints: null },
      pending: 0,
      pending_changes: [],
      conflicts: 0,
      mirror: null,
    };
    if (store !== undefined) {
      const [{ mirrorFile, staleKinds }, compare] = await Promise.all([import('../../lib/store/mirror.js'), import('../../lib/store/compare.js')]);
      const queue = store.pending();
      status.pending = queue.length;
      status.pending_changes = queue.map((entry) => ({ kind: entry.kind, record_id: entry.target, action: entry.action, queued_at: entry.queued_at }));
      status.conflicts = store.conflicts().length;
      const stale = new Set(staleKinds(store));
      const mirror = {} as Record<Kind, MirrorState>;
      for (const kind of kinds) {
        status.last_sync[kind] = store.lastSync(kind) ?? null;
        status.records[kind] = store.all(kind).length;
        mirror[kind] = { file: mirrorFile(store, kind), current: !stale.has(kind) };
      }
      status.mirror = mirror;
      if (this.flags['check-csv-drift']) {
        for (const kind of kinds) {
          const text = await readFile(mirror[kind].file, 'utf8').catch(() => undefined);
          mirror[kind].matches_store = text !== undefined && compare.fileChecksum(text) === compare.checksum(kind, store.all(kind));
        }
        const remote = await compare.fetchAll(await this.client());
        const queued = new Set(queue.map((entry) => store.resolveId(entry.target)));
        status.drift = [
          compare.drift('tasks', store.all('tasks'), remote.tasks, queued),
          compare.drift('projects', store.all('projects'), remote.projects, queued),
          compare.drift('sprints', store.all('sprints'), remote.sprints, queued),
        ];
      }
    }
    await this.print(status, (result) => this.#render(result));
    const drifted =
      (status.drift?.some((kind) => kind.only_local.length + kind.only_remote.length + kind.changed.length > 0) ?? false) ||
      kinds.some((kind) => status.mirror?.[kind].matches_store === false);
    if (status.pending > 0 || status.conflicts > 0 || drifted) this.exit(ExitCode.partial);
  }

  #render(status: SyncStatus): string {
    const { colors } = this;
    const kindsLine = kinds
      .map((kind) => {
        const last = status.last_sync[kind];
        return `${kind} ${status.records[kind] ?? '-'}${last === null ? '' : ` (${this.when(last)})`}`;
      })
      .join(', ');
    const mirrorLine =
      status.mirror === null
        ? 'none yet'
        : kinds.map((kind) => `${kind}.csv ${status.mirror?.[kind].matches_store === false ? colors.yellow('differs from the store') : status.mirror?.[kind].current ? 'current' : 'being written'}`).join(', ');
    const lines = [
      details(
        [
          ['API', status.api_url],
          ['local store', status.store === null ? 'none yet' : `${status.store}: ${kindsLine}`],
          ['CSV mirror', mirrorLine],
          ['queued changes', status.pending === 0 ? '0' : colors.yellow(String(status.pending))],
          ['conflicts', status.conflicts === 0 ? '0' : `${colors.yellow(String(status.conflicts))} (see \`dtm sync --conflicts\`)`],
        ],
        colors,
      ),
    ];
    for (const change of status.pending_changes) lines.push(`  ${change.action} ${change.record_id} (queued ${this.when(change.queued_at)})`);
    for (const kind of status.drift ?? []) {
      const count = kind.only_local.length + kind.only_remote.length + kind.changed.length;
      if (count === 0) {
        lines.push(`${colors.green('✓')} ${kind.kind}: the local store matches the API`);
        continue;
      }
      lines.push(`${colors.yellow('!')} ${kind.kind}: ${count} difference${count === 1 ? '' : 's'}`);
      if (kind.only_local.length > 0) lines.push(`  only in the local store: ${kind.only_local.join(', ')}`);
      if (kind.only_remote.length > 0) lines.push(`  only on the server: ${kind.only_remote.join(', ')}`);
      for (const changed of kind.changed) lines.push(`  ${changed.id} differs in ${changed.fields.join(', ')}`);
    }
    if ((status.drift ?? []).some((kind) => kind.only_local.length + kind.only_remote.length + kind.changed.length > 0)) {
      lines.push('Bring the local store up to date with `dtm sync` (or read everything again with `dtm sync --rebuild`).');
    }
    return lines.join('\n');
  }
}
