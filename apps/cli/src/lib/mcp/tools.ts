// The tools of `dtm mcp`: each is an operation of openapi.yaml (its input and output schemas
// come from there, see schemas.ts) run through the same data layer as the `dtm` commands — the
// API first, the local store when it is unreachable, changes queued offline for `dtm sync`.
import type { ListProjectsParams, Project, ProjectCreate, ProjectPage, ProjectSummary, ProjectUpdate, ListTasksParams, Task, TaskCreate, TaskPage, TaskUpdate } from '@dtm/sdk';
import { confirmedDelete } from '../confirmed-delete.js';
import { CliError, notInLocalCopy } from '../errors.js';
import { createProject, explainDeleteConflict, updateProject } from '../projects.js';
import type { DataLayer } from '../store/data-layer.js';
import { completeTask, createTask, updateTask } from '../tasks/operations.js';
import { staleVersionError } from '../tasks/versions.js';
import type { Kind } from '../store/records.js';
import { type JsonSchema, inputSchema, operation, outputSchema } from './schemas.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** The tool talks to the DTM API, a system outside the client (all but sync_status, which reads the local store only). */
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
  /** The answer is always the local store's (the tool does not call the API). */
  localOnly?: true;
}

const kinds: readonly Kind[] = ['tasks', 'projects', 'sprints'];

const read: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
const write = (idempotent: boolean, destructive = false): ToolAnnotations => ({ readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: true });

/** A tool made from an operation: its summary and description, and its schemas. */
function fromOperation(
  name: string,
  operationId: string,
  annotations: ToolAnnotations,
  run: Tool['run'],
  summary: Tool['summary'],
  options: { output?: JsonSchema; also?: string } = {},
): Tool {
  const { summary: title, description } = operation(operationId);
  return {
    name,
    title,
    description: [description ?? title, options.also].filter(Boolean).join(' '),
    inputSchema: inputSchema(operationId),
    outputSchema: outputSchema(operationId, options.output),
    annotations,
    run,
    summary,
  };
}

const taskId = (args: Record<string, unknown>): string => args.task_id as string;
/** The body of a change: the arguments but the path's. */
const bodyOf = (args: Record<string, unknown>, ...path: string[]): Record<string, unknown> => Object.fromEntries(Object.entries(args).filter(([key]) => !path.includes(key)));
const projectId = (args: Record<string, unknown>): string => args.project_id as string;
const projectLine = (project: Project): string => `${project.id} "${project.name}" (${project.status}, version ${project.version})`;
const deleted: JsonSchema = { type: 'object', properties: { id: { type: 'string' }, deleted: { const: true } }, required: ['id', 'deleted'] };
const taskLine = (task: Task): string => `${task.id} "${task.title}" (${task.status}, ${task.priority}, version ${task.version})`;

/** The record, or the error for one the local store does not hold (a change queued offline answers null then). */
function held<T>(record: T | null | undefined, id: string): T {
  if (record === null || record === undefined) throw notInLocalCopy(id);
  return record;
}

const queuedNote = 'While the API is unreachable the change is queued in the local store and applied there; the `sync` tool (or `dtm sync`, or any later call that reaches the API) sends it.';

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
      return data.page('tasks', filters, { limit, offset }, (client) => client.tasks.list({ ...filters, limit, offset }));
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
      return data.record('tasks', id, (client, ifNoneMatch) => client.tasks.get(id, { ifNoneMatch }));
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
      return held(await updateTask(data, id, changes), id);
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
      return held(await completeTask(data, id, bodyOf(args, 'task_id')), id);
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
    { output: deleted, also: queuedNote },
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
  fromOperation(
    'list_projects',
    'listProjects',
    read,
    (args, data) => {
      const { limit = 50, offset = 0, ...filters } = args as ListProjectsParams;
      return data.page('projects', filters, { limit, offset }, (client) => client.projects.list({ ...filters, limit, offset }));
    },
    (result) => {
      const page = result as ProjectPage;
      return page.items.length === 0 ? `No projects (${page.total} match).` : `Projects ${page.offset + 1}–${page.offset + page.items.length} of ${page.total}:\n${page.items.map(projectLine).join('\n')}`;
    },
  ),
  fromOperation('get_project', 'getProject', read, async (args, data) => {
      const id = await data.resolveId(projectId(args));
      return data.record('projects', id, (client, ifNoneMatch) => client.projects.get(id, { ifNoneMatch }));
    }, (result) => projectLine(result as Project)),
  fromOperation(
    'project_summary',
    'getProjectSummary',
    read,
    async (args, data) => (await data.client()).projects.summary(await data.resolveId(projectId(args))),
    (result) => `${(result as ProjectSummary).project_id}: ${(result as ProjectSummary).total} tasks, ${Math.round((result as ProjectSummary).completion_rate * 100)}% completed`,
    { also: 'The counts are the server’s: this tool fails while the API is unreachable.' },
  ),
  fromOperation('create_project', 'createProject', write(false), (args, data) => createProject(data, args as ProjectCreate), (result) => `Created ${projectLine(result as Project)}`, {
    also: queuedNote,
  }),
  fromOperation(
    'update_project',
    'updateProject',
    write(true),
    async (args, data) => {
      const id = await data.resolveId(projectId(args));
      const changes = bodyOf(args, 'project_id') as ProjectUpdate;
      if (Object.keys(changes).length === 0) throw new CliError('Nothing to change.', { code: 'usage', hint: 'Pass at least one field, e.g. name or status.' });
      return held(await updateProject(data, id, changes), id);
    },
    (result) => `Updated ${projectLine(result as Project)}`,
    { also: queuedNote },
  ),
  fromOperation(
    'delete_project',
    'deleteProject',
    write(true, true),
    async (args, data) => {
      const id = await data.resolveId(projectId(args));
      await confirmedDelete(data, {
        kind: 'projects',
        id,
        yes: true,
        question: (project) => `Delete project ${project.id}?`,
        refused: 'Not deleted.',
        get: (client, target) => client.projects.get(target),
        remove: (client, target, ifMatch) => client.projects.delete(target, ifMatch === undefined ? undefined : { ifMatch }),
        explain: explainDeleteConflict,
      });
      return { id, deleted: true };
    },
    (result) => `Deleted project ${(result as { id: string }).id}`,
    { output: deleted, also: `A project with tasks or sprints is not deleted (409). ${queuedNote}` },
  ),
  {
    name: 'sync_status',
    title: 'What waits to be synced',
    description:
      'The local store of this API server: how many changes wait to be sent, the open conflicts (a queued change the server did not take, kept with the server’s version), and when each kind of record was last read from the API. Reads the local store only; works while the API is down.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: outputSchema(undefined, {
      type: 'object',
      properties: {
        queued: { type: 'integer', description: 'Changes waiting to be sent.' },
        conflicts: { type: 'array', items: { type: 'object' }, description: 'Open conflicts; `dtm sync resolve ID --keep local|remote` settles one.' },
        last_sync: { type: 'object', properties: Object.fromEntries(kinds.map((kind) => [kind, { anyOf: [{ type: 'string' }, { type: 'null' }] }])), description: 'When each kind was last read from the API (null: never).' },
      },
      required: ['queued', 'conflicts', 'last_sync'],
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    localOnly: true,
    async run(_args, data) {
      const store = await data.store();
      return {
        queued: store?.pendingCount() ?? 0,
        conflicts: store?.conflicts() ?? [],
        last_sync: Object.fromEntries(kinds.map((kind) => [kind, store?.lastSync(kind) ?? null])),
      };
    },
    summary: (result) => {
      const { queued, conflicts } = result as { queued: number; conflicts: unknown[] };
      return `${queued} change${queued === 1 ? '' : 's'} queued, ${conflicts.length} open conflict${conflicts.length === 1 ? '' : 's'}.`;
    },
  },
  {
    name: 'sync',
    title: 'Send the queued changes, then read what changed',
    description:
      'As `dtm sync`: sends the changes queued while the API was unreachable, in the order they were made (a change the server already shows, or one whose record changed on the server meanwhile, becomes a conflict instead of overwriting it), then reads every change on the server since the last sync into the local store.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: outputSchema(undefined, {
      type: 'object',
      properties: {
        applied: { type: 'integer', description: 'Changes the server took.' },
        conflicts: { type: 'array', items: { type: 'object' }, description: 'Open conflicts after this sync.' },
        remaining: { type: 'integer', description: 'Changes still queued (the API became unreachable meanwhile).' },
        pulled: {
          anyOf: [{ type: 'object', properties: { upserted: { type: 'integer' }, deleted: { type: 'integer' }, full: { type: 'boolean' } } }, { type: 'null' }],
          description: 'Records read from the change feed (null when sending stopped early).',
        },
      },
      required: ['applied', 'conflicts', 'remaining', 'pulled'],
    }),
    annotations: write(true),
    async run(_args, data) {
      const { store, report, pulled } = await data.sync();
      return { applied: report.applied, conflicts: store.conflicts(), remaining: report.remaining, pulled };
    },
    summary: (result) => {
      const { applied, conflicts, remaining } = result as { applied: number; conflicts: unknown[]; remaining: number };
      return `Sent ${applied} change${applied === 1 ? '' : 's'}; ${conflicts.length} open conflict${conflicts.length === 1 ? '' : 's'}; ${remaining} still queued.`;
    },
  },
];
