import { Args, Flags } from '@oclif/core';
import { randomUUID } from 'node:crypto';
import { DtmCommand } from '../../base-command.js';
import { CliError, usageError } from '../../lib/errors.js';
import { isUnreachable } from '../../lib/sdk-errors.js';
import { type Change, describeChange } from '../../lib/store/changes.js';
import type { AnyRecord } from '../../lib/store/records.js';
import type { Conflict } from '../../lib/store/store.js';
import { staleVersionError } from '../../lib/tasks/versions.js';

interface Resolution {
  conflict: string;
  kind: Conflict['kind'];
  record_id: string;
  kept: 'local' | 'remote';
  /** The record as it is now; null when it no longer exists. */
  record: AnyRecord | null;
}

export default class SyncResolve extends DtmCommand<typeof SyncResolve> {
  static override summary = 'Settle a conflict: keep your offline change or the server’s version';
  static override description =
    '--keep local applies your offline change on top of the record as it is on the server now (If-Match its current ' +
    'version, so a change made meanwhile is never overwritten unseen); --keep remote drops your change and refreshes ' +
    'the local store. ID is a conflict id from `dtm sync --conflicts`, or the id of a record with one open conflict.';
  static override examples = [
    '<%= config.bin %> sync resolve 3f2a9c1e --keep local',
    '<%= config.bin %> sync resolve TASK-000123 --keep remote',
  ];
  static override jsonFields = ['conflict', 'kind', 'record_id', 'kept', 'record'];

  static override args = {
    id: Args.string({ required: true, description: 'Conflict id, or a record id with one open conflict' }),
  };

  static override flags = {
    keep: Flags.string({ required: true, options: ['local', 'remote'], description: 'Whose version wins' }),
  };

  async run(): Promise<void> {
    const store = await this.data.store();
    const conflict = pick(store?.conflicts() ?? [], this.args.id);
    const keep = this.flags.keep === 'local' ? 'local' : 'remote';
    if (this.flags.offline) throw usageError('--offline: `dtm sync resolve` needs the API.');
    const { client } = await this.connection();
    const push = await import('../../lib/store/push.js');
    const current = async (): Promise<AnyRecord | null> => {
      try {
        return await push.remoteOf(client, conflict.kind, conflict.record_id);
      } catch (error) {
        if (isUnreachable(error) && conflict.remote !== null) return conflict.remote;
        throw error;
      }
    };
    let record: AnyRecord | null;
    if (keep === 'remote') {
      record = await current();
    } else {
      // The offline change again, on top of the record's current version.
      const { entry } = conflict;
      const now = entry.action === 'create' ? null : await current();
      if (entry.action !== 'create' && now === null && entry.action !== 'delete') {
        throw new CliError(`${conflict.record_id} was deleted on the server; your change cannot be applied.`, {
          code: 'not_found',
          hint: `Settle it with \`dtm sync resolve ${conflict.id} --keep remote\`, or create it again.`,
        });
      }
      const change = { ...entry, target: conflict.record_id, ...('base_version' in entry && now !== null ? { base_version: now.version } : {}) } as Change;
      try {
        const answer = now === null && entry.action === 'delete' ? null : await push.sendChange(client, change, randomUUID());
        record = answer ?? (entry.action === 'delete' ? null : await current());
      } catch (error) {
        throw staleVersionError(error, conflict.record_id);
      }
    }
    store?.removeConflict(conflict.id);
    if (record === null) await this.data.forget(conflict.kind, [conflict.record_id]);
    else await this.data.remember(conflict.kind, [record as never]);
    const result: Resolution = { conflict: conflict.id, kind: conflict.kind, record_id: conflict.record_id, kept: keep, record };
    await this.print(result, () => {
      const what = keep === 'local' ? `applied your change (${describeChange(conflict.entry)})` : 'kept the server’s version';
      return `${this.colors.green('✓')} ${conflict.record_id}: ${what}${record === null ? '; it no longer exists' : ` (version ${record.version})`}.`;
    });
  }
}

function pick(open: readonly Conflict[], id: string): Conflict {
  const byId = open.find((conflict) => conflict.id === id);
  if (byId !== undefined) return byId;
  const forRecord = open.filter((conflict) => conflict.record_id === id);
  if (forRecord.length === 1 && forRecord[0] !== undefined) return forRecord[0];
  if (forRecord.length > 1) {
    throw usageError(`${id} has ${forRecord.length} open conflicts: ${forRecord.map((conflict) => conflict.id).join(', ')}.`, 'Name one by its conflict id.');
  }
  throw new CliError(open.length === 0 ? 'There are no open conflicts.' : `No open conflict ${id}.`, {
    code: 'not_found',
    hint: 'List them with `dtm sync --conflicts`.',
  });
}
