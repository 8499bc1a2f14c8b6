import { Args, Flags } from '@oclif/core';
import type { DtmClient, Task } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { CliError, usageError } from '../../lib/errors.js';
import { describeChange } from '../../lib/offline/conflicts.js';
import type { Conflict } from '../../lib/offline/outbox.js';
import { dataDir } from '../../lib/paths.js';
import { isApiError, isUnreachable } from '../../lib/sdk-errors.js';
import { staleVersionError } from '../../lib/tasks/versions.js';

interface Resolution {
  conflict: string;
  task_id: string;
  kept: 'local' | 'remote';
  /** The task as it is now; null when it no longer exists. */
  task: Task | null;
}

export default class SyncResolve extends DtmCommand<typeof SyncResolve> {
  static override summary = 'Settle a conflict: keep your offline change or the server’s version';
  static override description =
    '--keep local applies your offline change on top of the task as it is on the server now (If-Match its current ' +
    'version, so a change made meanwhile is never overwritten unseen); --keep remote drops your change and refreshes ' +
    'the local copy. ID is a conflict id from `dtm sync --conflicts`, or a task id with one open conflict.';
  static override examples = [
    '<%= config.bin %> sync resolve 3f2a9c1e --keep local',
    '<%= config.bin %> sync resolve TASK-000123 --keep remote',
  ];
  static override jsonFields = ['conflict', 'task_id', 'kept', 'task'];

  static override args = {
    id: Args.string({ required: true, description: 'Conflict id, or a task id with one open conflict' }),
  };

  static override flags = {
    keep: Flags.string({ required: true, options: ['local', 'remote'], description: 'Whose version wins' }),
  };

  async run(): Promise<void> {
    const dir = dataDir();
    const outbox = await import('../../lib/offline/outbox.js');
    const open = await outbox.readConflicts(dir);
    const conflict = pick(open, this.args.id);
    const keep = this.flags.keep === 'local' ? 'local' : 'remote';
    if (this.flags.offline) throw usageError('--offline: `dtm sync resolve` needs the API.');
    const { client } = await this.connection();
    const task = keep === 'local' ? await applyLocal(client, conflict) : await currentTask(client, conflict);
    await outbox.updateConflicts(dir, (current) => current.filter((known) => known.id !== conflict.id));
    if (task === null) this.forget('tasks', [conflict.task_id]);
    else this.remember('tasks', [task]);
    const result: Resolution = { conflict: conflict.id, task_id: conflict.task_id, kept: keep, task };
    this.print(result, () => {
      const what = keep === 'local' ? `applied your change (${describeChange(conflict)})` : 'kept the server’s version';
      return `${this.colors.green('✓')} ${conflict.task_id}: ${what}${task === null ? '; the task no longer exists' : ` (version ${task.version})`}.`;
    });
  }
}

function pick(open: readonly Conflict[], id: string): Conflict {
  const byId = open.find((conflict) => conflict.id === id);
  if (byId !== undefined) return byId;
  const forTask = open.filter((conflict) => conflict.task_id === id);
  if (forTask.length === 1 && forTask[0] !== undefined) return forTask[0];
  if (forTask.length > 1) {
    throw usageError(`${id} has ${forTask.length} open conflicts: ${forTask.map((conflict) => conflict.id).join(', ')}.`, 'Name one by its conflict id.');
  }
  throw new CliError(open.length === 0 ? 'There are no open conflicts.' : `No open conflict ${id}.`, {
    code: 'not_found',
    hint: 'List them with `dtm sync --conflicts`.',
  });
}

async function currentTask(client: DtmClient, conflict: Conflict): Promise<Task | null> {
  try {
    return await client.tasks.get(conflict.task_id);
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    if (isUnreachable(error) && conflict.remote !== null) return conflict.remote;
    throw error;
  }
}

/** The offline change again, on top of the task's current version. */
async function applyLocal(client: DtmClient, conflict: Conflict): Promise<Task | null> {
  const { entry } = conflict;
  if (entry.action === 'create') return client.tasks.create(entry.body);
  const current = await currentTask(client, conflict);
  if (current === null) {
    if (entry.action === 'delete') return null;
    throw new CliError(`${conflict.task_id} was deleted on the server; your change cannot be applied.`, {
      code: 'not_found',
      hint: `Settle it with \`dtm sync resolve ${conflict.id} --keep remote\`, or create the task again.`,
    });
  }
  const ifMatch = { ifMatch: current.version };
  try {
    switch (entry.action) {
      case 'update':
        return await client.tasks.update(current.id, entry.body, ifMatch);
      case 'complete':
        return await client.tasks.complete(current.id, entry.body, ifMatch);
      case 'delete':
        await client.tasks.delete(current.id, ifMatch);
        return null;
    }
  } catch (error) {
    throw staleVersionError(error, current.id);
  }
}
