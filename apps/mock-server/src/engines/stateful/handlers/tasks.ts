import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { HttpProblem } from '../problems.js';
import { pageText } from '../json-text.js';
import { type Store, type TaskFilter, etagOf } from '../store.js';
import type { BulkRequest, BulkResponse, BulkResult, Task, TaskComplete, TaskCreate, TaskUpdate } from '../types.js';
import { type Context, type Handler, type Reply, actor, notModified, windowOf } from './context.js';

const csvColumns = [
  'id',
  'title',
  'description',
  'status',
  'priority',
  'project_id',
  'sprint_id',
  'assignee',
  'tags',
  'due_date',
  'estimate_hours',
  'completed_at',
  'completion_notes',
  'created_at',
  'updated_at',
  'version',
] as const satisfies readonly (keyof Task)[];

function filterOf({ query }: Context): TaskFilter {
  return query;
}

const taskReply = (store: Store, task: Task, status = 200): Reply => ({ status, json: store.taskText(task), etag: etagOf(task) });

export const listTasks: Handler = (context) => {
  const { store } = context;
  const page = store.listTasks(filterOf(context), windowOf(context));
  return { status: 200, json: pageText(page, (task) => store.taskText(task)) };
};

export const createTask: Handler = (context) => {
  const task = context.store.createTask(context.body as TaskCreate, actor(context));
  return { ...taskReply(context.store, task, 201), location: `/api/v1/tasks/${task.id}` };
};

export const getTask: Handler = ({ store, params, headers }) => {
  const task = store.getTask(params.task_id as string);
  return notModified(headers['if-none-match'], task) ? { status: 304, etag: etagOf(task) } : taskReply(store, task);
};

export const updateTask: Handler = (context) =>
  taskReply(
    context.store,
    context.store.updateTask(context.params.task_id as string, context.body as TaskUpdate, actor(context), context.headers['if-match']),
  );

export const deleteTask: Handler = (context) => {
  context.store.deleteTask(context.params.task_id as string, actor(context), context.headers['if-match']);
  return { status: 204 };
};

export const completeTask: Handler = (context) => {
  const notes = (context.body as TaskComplete | undefined)?.completion_notes;
  return taskReply(context.store, context.store.completeTask(context.params.task_id as string, notes, actor(context), context.headers['if-match']));
};

export const getTaskHistory: Handler = ({ store, params, ...context }) => ({
  status: 200,
  body: store.taskHistory(params.task_id as string, windowOf({ store, params, ...context })),
});

/** Applies each operation in order; one failing does not stop the others. */
export const bulkTasks: Handler = (context) => {
  const { operations } = context.body as BulkRequest;
  const who = actor(context);
  const results = operations.map((operation, index): BulkResult => {
    try {
      switch (operation.op) {
        case 'create': {
          const task = context.store.createTask(operation.data, who);
          return { index, op: 'create', status: 201, id: task.id, task };
        }
        case 'update': {
          const task = context.store.updateTask(operation.id, operation.data, who, operation.if_match);
          return { index, op: 'update', status: 200, id: task.id, task };
        }
        case 'delete':
          context.store.deleteTask(operation.id, who, operation.if_match);
          return { index, op: 'delete', status: 204, id: operation.id };
      }
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      const id = operation.op === 'create' ? {} : { id: operation.id };
      return { index, op: operation.op, status: error.status, ...id, error: error.toProblem(context.requestId) };
    }
  });
  const failed = results.filter((result) => result.status >= 400).length;
  const body: BulkResponse = { results, succeeded: results.length - failed, failed };
  return { status: 200, body };
};

/** Streams the matching tasks as they were when the request arrived, a batch of lines at a time. */
export const exportTasks: Handler = (context) => {
  const tasks = context.store.matchingTasks(filterOf(context));
  if (context.query.format === 'csv') {
    const rows = Readable.from(
      (function* () {
        for (const task of tasks) yield { ...task, tags: task.tags.join(';') };
      })(),
    );
    const csv = stringify({ header: true, columns: [...csvColumns], eof: true });
    rows.on('error', (error) => csv.destroy(error));
    return { status: 200, stream: { contentType: 'text/csv; charset=utf-8', body: rows.pipe(csv) } };
  }
  const lines = Readable.from(
    (function* () {
      for (let start = 0; start < tasks.length; start += 200) {
        yield `${tasks
          .slice(start, start + 200)
          .map((task) => JSON.stringify(task))
          .join('\n')}\n`;
      }
    })(),
  );
  return { status: 200, stream: { contentType: 'application/x-ndjson', body: lines } };
};
