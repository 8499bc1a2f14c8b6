// The one way `task delete`, `project delete` and `sprint delete` work, as gh's deletes do:
// on a terminal ask first (about the record as it is now, and delete only that version of
// it), with --yes never ask, and without a terminal (or with DTM_PROMPT_DISABLED) refuse
// unless --yes is given. Offline the change is queued, after asking about the stored copy.
import type { DtmClient } from '@dtm/sdk';
import { CliError } from './errors.js';
import { needPrompt, promptYes } from './prompt.js';
import type { DataLayer } from './store/data-layer.js';
import type { AnyRecord, Kind, RecordOf } from './store/records.js';

export interface Deletion<K extends Kind> {
  kind: K;
  /** The id as resolved by the data layer. */
  id: string;
  /** Deletes on the server; `ifMatch` is the confirmed version. */
  remove: (client: DtmClient, id: string, ifMatch: number | undefined) => Promise<void>;
  /** Turns an API error of `remove` into one for the user (or passes it on). */
  explain: (error: unknown, id: string) => unknown;
}

export interface ConfirmedDelete<K extends Kind> extends Deletion<K> {
  /** --yes: delete without asking. */
  yes: boolean;
  /** The question, without the `[y/N]`. */
  question: (record: RecordOf<K>) => string;
  /** The error message when the answer is no. */
  refused: string;
  get: (client: DtmClient, id: string) => Promise<RecordOf<K>>;
}

/** Checks that the delete can be confirmed before anything is read or sent (exit 2 naming --yes). */
export function checkConfirmable(id: string, yes: boolean): void {
  if (!yes) needPrompt(`confirmation to delete ${id}`, 'Pass --yes to delete without asking.');
}

export async function confirmedDelete<K extends Kind>(data: DataLayer, options: ConfirmedDelete<K>): Promise<void> {
  checkConfirmable(options.id, options.yes);
  if (options.yes) return deleteRecord(data, options);
  const confirm = async (record: AnyRecord): Promise<void> => {
    if (!(await promptYes(options.question(record as RecordOf<K>)))) throw new CliError(options.refused, { code: 'cancelled' });
  };
  return deleteRecord(data, options, {
    // Delete what was confirmed: a change made in the meantime makes the call fail (412).
    confirmed: async (client, target) => {
      const record = await options.get(client, target);
      await confirm(record);
      return record.version;
    },
    confirmQueued: confirm,
  });
}

/** Deletes without asking (`--yes`; a tool call of `dtm mcp` is its own confirmation), or after `asking`. */
export async function deleteRecord<K extends Kind>(
  data: DataLayer,
  options: Deletion<K>,
  asking?: { confirmed: (client: DtmClient, id: string) => Promise<number>; confirmQueued: (record: AnyRecord) => Promise<void> },
): Promise<void> {
  await data.change(
    { kind: options.kind, action: 'delete', target: options.id },
    async (client, { target }) => {
      const ifMatch = asking === undefined ? undefined : await asking.confirmed(client, target);
      try {
        await options.remove(client, target, ifMatch);
      } catch (error) {
        throw options.explain(error, target);
      }
      await data.forget(options.kind, [target]);
      return null;
    },
    asking === undefined ? {} : { confirmQueued: asking.confirmQueued },
  );
}
