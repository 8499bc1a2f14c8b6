// The tools of `dtm mcp`: each is an operation of openapi.yaml (its input and output schemas
// come from there, see schemas.ts) run through the same data layer as the `dtm` commands — the
// API first, the local store when it is unreachable, changes queued offline for `dtm sync`.
import type { ListTasksParams, Task, TaskCreate, TaskPage, TaskUpdate } from '@dtm/sdk';
import { confirmedDelete } from '../confirmed-delete.js';
import { CliError } from '../errors.js';
import type { DataLayer } from '../store/data-layer.js';
import { isTemporaryId } from '../store/changes.js';
import { completeTask, createTask, listTaskPage, updateTask } from '../tasks/operations.js';
import { staleVersionError } from '../tasks/versions.js';
import { type JsonSchema, inputSchema, operation, outputSchema } from './schemas.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** Every tool talks to the DTM API, a system outside the client. */
  openWorldHint: boolean;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  annotations: ToolAnnotations;
  /** The answer (the `result` of the output); `args` have passed `inputSchema`. */
  run(args: Record<string, unknown>, data: DataLayer): Promise<unknown>;
  /** One line for the text content (the structured content has all of it). */
  summary(result: unknown): string;
}

const read: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
const write = (idempotent: boolean, destructive = false): ToolAnnotations => ({ readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: true });

/** A tool made from an operation: its summary and description, and its schemas. */
function fromOperation(
  name: string,
  operationId: string,
  annotations: ToolAnnotations,
  run: Tool['run'],
  summary: Tool['summary'],
  options: { input?: Parameters<typeof inputSchema>[1]; output?: JsonSchema; also?: string } = {},
): Tool {
  const { summary: title, description } = operation(operationId);
  return {
    name,
    title,
    description: [description ?? title, options.also].filter(Boolean).join(' '),
    inputSchema: inputSchema(operationId, options.input),
    outputSchema: outputSchema(operationId, options.output),
    annotations,
    run,
    summary,
  };
}

const taskId = (args: Record<string, unknown>): string => args.task_id as string;
/** The body of a change: the arguments but the path's. */
const bodyOf = (args: Record<string, unknown>, ...path: string[]): Record<string, unknown> => Object.fromEntries(Object.entries(args).filter(([key]) => !path.includes(key)));
const taskLine = (task: Task): string => `${task.id} "${task.title}" (${task.status}, ${task.priority}, version ${task.version})`;

const notInLocalCopy = (id: string): CliError =>
  new CliError(`${id} is not in the local copy.`, { code: 'not_found', hint: 'Only what dtm has read or written while the API was reachable (or created offline) is in the local store.' });

const queuedNote = 'Changes made while the API is unreachable are queued in the local store and applied there; `dtm sync` (or any later dtm call that reaches the API) sends them.';

export const tools: readonly Tool[] = [
  fromOperation(
    'health',
    'getHealth',
    read,
    async (_args, data) => (await data.client()).health(),
    (result) => `API ${(result as { status: string }).status}`,
  ),
  fromOperation(
    'list_tasks',
    'listTasks',
    read,
    (args, data) => {
      const { limit = 50, offset = 0, ...filters } = args as ListTasksParams;
      return listTaskPage(data, filters, { limit, offset });
    },
    (result) => {
      const page = result as TaskPage;
      return page.items.length === 0 ? `No tasks (${page.total} match).` : `Tasks ${page.offset + 1}–${page.offset + page.items.length} of ${page.total}:\n${page.items.map(taskLine).join('\n')}`;
    },
  ),
  fromOperation(
    'get_task',
    'getTask',
    read,
    async (args, data) => {
      const id = await data.resolveId(taskId(args));
      return data.read(
        'tasks',
        (client) => data.fresh('tasks', id, (ifNoneMatch) => client.tasks.get(id, { ifNoneMatch })),
        (store) => store.get('tasks', id) ?? (() => { throw notInLocalCopy(id); })(),
        isTemporaryId(id) ? { localOnly: `${id} was created offline and is not on the server yet` } : {},
      );
    },
    (result) => taskLine(result as Task),
  ),
  fromOperation('create_task', 'createTask', write(false), (args, data) => createTask(data, args as TaskCreate), (result) => `Created ${taskLine(result as Task)}`, {
    also: queuedNote,
  }),
  fromOperation(
    'update_task',
    'updateTask',
    write(true),
    async (args, data) => {
      const id = await data.resolveId(taskId(args));
      const changes = bodyOf(args, 'task_id') as TaskUpdate;
      if (Object.keys(changes).length === 0) throw new CliError('Nothing to change.', { code: 'usage', hint: 'Pass at least one field, e.g. status or assignee.' });
      return (await updateTask(data, id, changes)) ?? (() => { throw notInLocalCopy(id); })();
    },
    (result) => `Updated ${taskLine(result as Task)}`,
    { also: queuedNote },
  ),
  fromOperation(
    'complete_task',
    'completeTask',
    write(true),
    async (args, data) => {
      const id = await data.resolveId(taskId(args));
      return (await completeTask(data, id, bodyOf(args, 'task_id'))) ?? (() => { throw notInLocalCopy(id); })();
    },
    (result) => `Completed ${taskLine(result as Task)}`,
    { also: queuedNote },
  ),
  fromOperation(
    'delete_task',
    'deleteTask',
    write(true, true),
    async (args, data) => {
      const id = await data.resolveId(taskId(args));
      await confirmedDelete(data, {
        kind: 'tasks',
        id,
        // The call is the confirmation; destructiveHint asks the client to check with its user first.
        yes: true,
        question: (task) => `Delete ${task.id}?`,
        refused: `Not deleted: ${id} is unchanged.`,
        get: (client, target) => client.tasks.get(target),
        remove: (client, target, ifMatch) => client.tasks.delete(target, ifMatch === undefined ? {} : { ifMatch }),
        explain: staleVersionError,
      });
      return { id, deleted: true };
    },
    (result) => `Deleted ${(result as { id: string }).id}`,
    {
      output: { type: 'object', properties: { id: { type: 'string' }, deleted: { const: true } }, required: ['id', 'deleted'] },
      also: queuedNote,
    },
  ),
  fromOperation(
    'task_history',
    'getTaskHistory',
    read,
    async (args, data) => {
      const { task_id: id, ...params } = args as { task_id: string; limit?: number; offset?: number };
      return (await data.client()).tasks.history(await data.resolveId(id), params);
    },
    (result) => `${(result as { total: number }).total} history entries`,
    { also: 'The history is only on the server: this tool fails while the API is unreachable.' },
  ),
];
