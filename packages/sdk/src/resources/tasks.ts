import type { components } from '../generated/openapi.js';
import type { APIPromise } from '../core/api-promise.js';
import { type ErrorContext, ResponseValidationError } from '../core/errors.js';
import {
  type ConditionalReadOptions,
  type QueryOf,
  type WriteOptions,
  callConditional,
  callEmpty,
  callJson,
  callPage,
  ifMatchHeader,
  segment,
} from '../core/operation.js';
import { type NavigablePage, type PageWalk, readNdjson, walkItems } from '../core/pagination.js';
import type { RequestOptions, Transport } from '../core/transport.js';
import { taskSchema } from '../schemas/index.js';
import { validate } from '../core/shape-check.js';

type Task = components['schemas']['Task'];
type TaskPage = components['schemas']['TaskPage'];
type TaskCreate = components['schemas']['TaskCreate'];
type TaskUpdate = components['schemas']['TaskUpdate'];
type TaskComplete = components['schemas']['TaskComplete'];
type TaskHistoryPage = components['schemas']['TaskHistoryPage'];
type BulkRequest = components['schemas']['BulkRequest'];
type BulkResponse = components['schemas']['BulkResponse'];

/** The query of `tasks.list()`: filters, sort, `limit` and `offset`, as listTasks in openapi.yaml defines them. */
export type ListTasksParams = QueryOf<'listTasks'>;
/** The filters and sort of `tasks.listAll()`: `ListTasksParams` without `limit` and `offset`, which the walk sets. */
export type TaskFilters = Omit<ListTasksParams, 'limit' | 'offset'>;
/** The filters and sort of `tasks.export()` and `tasks.exportCsv()`; the method picks the format. */
export type ExportTasksParams = Omit<QueryOf<'exportTasks'>, 'format'>;
/** The `limit` and `offset` of `tasks.history()`. */
export type TaskHistoryParams = QueryOf<'getTaskHistory'>;

/** Tasks: `client.tasks`. */
export class TasksResource {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Lists one page of tasks matching every given filter.
   * @example
   * const page = await client.tasks.list({ status: ['pending', 'blocked'], project_id: 'PRJ-001', limit: 100 });
   * console.log(`${page.items.length} of ${page.total}`);
   */
  list(params: ListTasksParams = {}, options?: RequestOptions): APIPromise<NavigablePage<TaskPage>> {
    return callPage(this.#transport, 'listTasks', { method: 'GET', path: '/api/v1/tasks', query: params, secured: true, options }, (offset) => this.list({ ...params, offset }, options));
  }

  /**
   * Iterates over every matching task, fetching pages of `pageSize` (default 100) as needed.
   * @example
   * for await (const task of client.tasks.listAll({ assignee: 'demo' })) console.log(task.id, task.title);
   */
  listAll(filters: TaskFilters = {}, options?: RequestOptions & { pageSize?: number }): PageWalk<Task, TaskPage> {
    const limit = options?.pageSize ?? 100;
    return walkItems((offset) => this.list({ ...filters, limit, offset }, options));
  }

  /**
   * Creates a task. Retries are safe: the call carries an Idempotency-Key.
   * @example
   * const task = await client.tasks.create({ title: 'Write the release notes', priority: 'high', project_id: 'PRJ-001' });
   */
  create(task: TaskCreate, options?: RequestOptions): APIPromise<Task> {
    return callJson(this.#transport, 'createTask', {
      method: 'POST',
      path: '/api/v1/tasks',
      body: task,
      secured: true,
      idempotent: true,
      options,
    });
  }

  /**
   * Fetches one task only if it changed: with `ifNoneMatch` (the `version` or ETag of the
   * copy you hold) the call resolves with null when the server answers 304 Not Modified,
   * meaning your copy is current, and with the task otherwise.
   * @example
   * const fresh = await client.tasks.get('TASK-000123', { ifNoneMatch: cached.version });
   * const current = fresh ?? cached; // null: not modified, the cached copy is current
   */
  get(id: string, options: ConditionalReadOptions & { ifNoneMatch: string | number }): APIPromise<Task | null>;
  /**
   * Fetches one task.
   * @example
   * const task = await client.tasks.get('TASK-000123');
   */
  get(id: string, options?: RequestOptions & { ifNoneMatch?: undefined }): APIPromise<Task>;
  /**
   * Fetches one task, conditionally when `options.ifNoneMatch` is set (null: not modified).
   * @example
   * const task = await client.tasks.get('TASK-000123', options);
   */
  get(id: string, options?: ConditionalReadOptions): APIPromise<Task | null>;
  get(id: string, options?: ConditionalReadOptions): APIPromise<Task | null> {
    return callConditional(this.#transport, 'getTask', { method: 'GET', path: `/api/v1/tasks/${segment(id)}`, secured: true, options });
  }

  /**
   * Changes the given fields; `null` clears a nullable field. With `ifMatch` (the version you
   * read) a concurrent change makes the call fail with PreconditionFailedError instead of
   * being overwritten.
   * @example
   * const task = await client.tasks.get('TASK-000123');
   * await client.tasks.update(task.id, { status: 'in_progress' }, { ifMatch: task.version });
   */
  update(id: string, changes: TaskUpdate, options?: WriteOptions): APIPromise<Task> {
    return callJson(this.#transport, 'updateTask', {
      method: 'PATCH',
      path: `/api/v1/tasks/${segment(id)}`,
      body: changes,
      headers: ifMatchHeader(options),
      secured: true,
      options,
    });
  }

  /**
   * Deletes a task.
   * @example
   * await client.tasks.delete('TASK-000123');
   */
  delete(id: string, options?: WriteOptions): APIPromise<void> {
    return callEmpty(this.#transport, 'deleteTask', {
      method: 'DELETE',
      path: `/api/v1/tasks/${segment(id)}`,
      headers: ifMatchHeader(options),
      secured: true,
      options,
    });
  }

  /**
   * Marks a task completed, with optional notes.
   * @example
   * await client.tasks.complete('TASK-000123', { completion_notes: 'Published.' });
   */
  complete(id: string, completion: TaskComplete = {}, options?: WriteOptions): APIPromise<Task> {
    return callJson(this.#transport, 'completeTask', {
      method: 'POST',
      path: `/api/v1/tasks/${segment(id)}/complete`,
      body: completion,
      headers: ifMatchHeader(options),
      secured: true,
      idempotent: true,
      options,
    });
  }

  /**
   * Lists the changes made to a task, oldest first.
   * @example
   * const { items } = await client.tasks.history('TASK-000123');
   */
  history(id: string, params: TaskHistoryParams = {}, options?: RequestOptions): APIPromise<TaskHistoryPage> {
    return callJson(this.#transport, 'getTaskHistory', {
      method: 'GET',
      path: `/api/v1/tasks/${segment(id)}/history`,
      query: params,
      secured: true,
      options,
    });
  }

  /**
   * Applies up to 500 create, update and delete operations; each one succeeds or fails on
   * its own, reported in `results` in request order.
   * @example
   * const { succeeded, failed, results } = await client.tasks.bulk({
   *   operations: [{ op: 'update', id: 'TASK-000123', data: { status: 'completed' } }],
   * });
   */
  bulk(request: BulkRequest, options?: RequestOptions): APIPromise<BulkResponse> {
    return callJson(this.#transport, 'bulkTasks', {
      method: 'POST',
      path: '/api/v1/tasks/bulk',
      body: request,
      secured: true,
      idempotent: true,
      options,
    });
  }

  /**
   * Streams every matching task from the NDJSON export, one validated task at a time, without
   * holding the export in memory. A stream that stops sending fails with TimeoutError after
   * `streamIdleTimeoutMs`; aborting `options.signal` ends the loop with RequestAbortedError.
   * @example
   * for await (const task of client.tasks.export({ project_id: 'PRJ-001' })) process.stdout.write(`${task.id}\n`);
   */
  export(filters: ExportTasksParams = {}, options?: RequestOptions): AsyncGenerator<Task, void, undefined> {
    const validates = this.#transport.validates;
    let status = 0;
    let context: ErrorContext | undefined;
    const open = async (): Promise<ReadableStream<Uint8Array> | null> => {
      const result = await this.#exportResponse('ndjson', filters, options);
      ({ status, context } = result);
      return result.body;
    };
    const invalid = (where: string, why: string): ResponseValidationError =>
      new ResponseValidationError(context as ErrorContext, status, where, why);
    return readNdjson(open, (line, lineNumber) => {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw invalid(`line ${lineNumber}`, 'not valid JSON');
      }
      if (!validates) return record as Task;
      const checked = validate(taskSchema, record);
      if (checked.success) return checked.data;
      throw invalid(`line ${lineNumber}${checked.path ? `: ${checked.path}` : ''}`, checked.message);
    });
  }

  /**
   * Returns the CSV export as a byte stream (a header row, then one row per task). It errors
   * like `export()`: TimeoutError when it goes idle, RequestAbortedError on `options.signal`.
   * @example
   * const csv = await client.tasks.exportCsv({ status: ['completed'] });
   * await pipeline(Readable.fromWeb(csv), createWriteStream('tasks.csv'));
   */
  async exportCsv(filters: ExportTasksParams = {}, options?: RequestOptions): Promise<ReadableStream<Uint8Array>> {
    const { body } = await this.#exportResponse('csv', filters, options);
    return body ?? new ReadableStream({ start: (controller) => { controller.close(); } });
  }

  #exportResponse(format: 'ndjson' | 'csv', filters: ExportTasksParams, options: RequestOptions | undefined) {
    return this.#transport.call({
      operation: 'exportTasks',
      method: 'GET',
      path: '/api/v1/tasks/export',
      query: { format, ...filters },
      headers: { accept: `${format === 'csv' ? 'text/csv' : 'application/x-ndjson'}, application/problem+json` },
      secured: true,
      expect: 'stream',
      options,
    });
  }
}
