// The task tools of `dtm mcp`: as `dtm task …` does it (lib/tasks/operations.ts).
import type { Task, TaskCreate, TaskFilters, TaskUpdate } from '@dtm/sdk';
import { type BulkUpdateResult, taskCount as count } from '../tasks/bulk.js';
import { bulkUpdateTasks, completeTask, createTask, updateTask } from '../tasks/operations.js';
import { staleVersionError } from '../tasks/versions.js';
import { type JsonSchema, bodySchema, parametersOf } from './schemas.js';
import { type Tool, changeTool, deleteTool, fromOperation, getTool, listTool, queuedNote, read, updateTool, write } from './tool.js';

export const taskLine = (task: Task): string => `${task.id} "${task.title}" (${task.status}, ${task.priority}, version ${task.version})`;
const task = { idKey: 'task_id', line: taskLine };

const bulkInput: JsonSchema = {
  type: 'object',
  properties: {
    filter: {
      ...parametersOf('listTasks', ['sort', 'limit', 'offset']),
      minProperties: 1,
      description: 'Which tasks: those matching every filter, as list_tasks takes them; at least one.',
    },
    changes: { ...bodySchema('updateTask'), description: 'What to set on each of them, as update_task takes it.' },
    dry_run: { type: 'boolean', default: false, description: 'Answer what would change, and change nothing.' },
  },
  required: ['filter', 'changes'],
  additionalProperties: false,
};

const bulkOutput: JsonSchema = {
  type: 'object',
  description: 'As `dtm task bulk-update --json` prints it.',
  properties: {
    matched: { type: 'integer', description: 'Tasks matching the filter.' },
    updated: { type: 'integer', description: 'Tasks changed (offline: changes queued).' },
    failed: { type: 'integer' },
    dry_run: { type: 'boolean' },
    failures: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, status: { anyOf: [{ type: 'integer' }, { type: 'null' }] }, message: { type: 'string' } }, required: ['id', 'status', 'message'] },
      description: 'Each task that was not changed, with the HTTP status of its operation (null: no answer for its batch) and why.',
    },
    preview: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' }, changes: { type: 'array', items: { type: 'object' } } }, required: ['id', 'title', 'changes'] },
      description: 'With dry_run: what each matching task would change.',
    },
  },
  required: ['matched', 'updated', 'failed', 'dry_run', 'failures'],
};

export const taskTools: readonly Tool[] = [
  listTool('list_tasks', 'listTasks', 'tasks', (data, filters, window) => data.page('tasks', filters, window, (client) => client.tasks.list({ ...filters, ...window })), taskLine),
  getTool('get_task', 'getTask', task, (data, id) => data.record('tasks', id, (client, ifNoneMatch) => client.tasks.get(id, { ifNoneMatch }))),
  fromOperation('create_task', 'createTask', write(false), (args, data) => createTask(data, args as TaskCreate), (created) => `Created ${taskLine(created)}`, { also: queuedNote }),
  updateTool('update_task', 'updateTask', task, 'status or assignee', (data, id, changes) => updateTask(data, id, changes as TaskUpdate)),
  changeTool('complete_task', 'completeTask', 'Completed', task, (data, id, body) => completeTask(data, id, body)),
  deleteTool('delete_task', 'deleteTask', 'tasks', 'task_id', (client, id, ifMatch) => client.tasks.delete(id, ifMatch === undefined ? {} : { ifMatch }), staleVersionError),
  fromOperation(
    'bulk_update_tasks',
    'bulkTasks',
    write(true),
    (args, data) => {
      const { filter, changes, dry_run: dryRun = false } = args as { filter: TaskFilters; changes: TaskUpdate; dry_run?: boolean };
      return bulkUpdateTasks(data, filter, changes, { dryRun, batchSize: 100, concurrency: 4 });
    },
    (result: BulkUpdateResult, queued) => {
      if (result.dry_run) return `Dry run: ${count(result.matched)} match; nothing was changed.`;
      if (queued) return `Queued a change of each of the ${count(result.matched)} matching.`;
      const failed = result.failed === 0 ? '' : `; ${result.failed} failed: ${result.failures.map((failure) => `${failure.id} (${failure.message})`).join(', ')}`;
      return `Updated ${result.updated} of ${count(result.matched)} matching${failed}.`;
    },
    {
      input: bulkInput,
      output: bulkOutput,
      also:
        'As `dtm task bulk-update`: finds every task matching `filter`, then sets `changes` on each through the bulk endpoint, in batches, each only if it is still at the version that was listed; failures are per task. ' +
        'While the API is unreachable the local store answers which tasks match and one change per task is queued for the `sync` tool.',
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
    (page) => `${page.total} history entries`,
    { also: 'The history is only on the server: this tool fails while the API is unreachable.' },
  ),
];
