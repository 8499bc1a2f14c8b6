import type { components } from '../generated/openapi.js';
import type { APIPromise } from '../core/api-promise.js';
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
import { type NavigablePage, type PageWalk, walkItems } from '../core/pagination.js';
import type { RequestOptions, Transport } from '../core/transport.js';

type Sprint = components['schemas']['Sprint'];
type SprintPage = components['schemas']['SprintPage'];
type SprintCreate = components['schemas']['SprintCreate'];
type SprintUpdate = components['schemas']['SprintUpdate'];
type Burndown = components['schemas']['Burndown'];
type SprintTaskAssignmentResult = components['schemas']['SprintTaskAssignmentResult'];

/** The query of `sprints.list()`: `status`, `project_id`, `limit` and `offset`, as listSprints in openapi.yaml defines them. */
export type ListSprintsParams = QueryOf<'listSprints'>;
/** The filters of `sprints.listAll()`: `ListSprintsParams` without `limit` and `offset`, which the walk sets. */
export type SprintFilters = Omit<ListSprintsParams, 'limit' | 'offset'>;

/** Sprints: `client.sprints`. */
export class SprintsResource {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Lists one page of sprints, latest start first.
   * @example
   * const { items } = await client.sprints.list({ status: 'active' });
   */
  list(params: ListSprintsParams = {}, options?: RequestOptions): APIPromise<NavigablePage<SprintPage>> {
    return callPage(this.#transport, 'listSprints', { method: 'GET', path: '/api/v1/sprints', query: params, secured: true, options }, (offset) => this.list({ ...params, offset }, options));
  }

  /**
   * Iterates over every matching sprint, page by page.
   * @example
   * for await (const sprint of client.sprints.listAll({ project_id: 'PRJ-001' })) console.log(sprint.name);
   */
  listAll(filters: SprintFilters = {}, options?: RequestOptions & { pageSize?: number }): PageWalk<Sprint, SprintPage> {
    const limit = options?.pageSize ?? 100;
    return walkItems((offset) => this.list({ ...filters, limit, offset }, options));
  }

  /**
   * Creates a planned sprint.
   * @example
   * await client.sprints.create({ name: 'Sprint 12', project_id: 'PRJ-001', start_date: '2026-11-02', end_date: '2026-11-13' });
   */
  create(sprint: SprintCreate, options?: RequestOptions): APIPromise<Sprint> {
    return callJson(this.#transport, 'createSprint', {
      method: 'POST',
      path: '/api/v1/sprints',
      body: sprint,
      secured: true,
      idempotent: true,
      options,
    });
  }

  /**
   * Fetches one sprint only if it changed: with `ifNoneMatch` (the `version` or ETag of the
   * copy you hold) the call resolves with null when the server answers 304 Not Modified,
   * meaning your copy is current, and with the sprint otherwise.
   * @example
   * const fresh = await client.sprints.get('SPR-001', { ifNoneMatch: cached.version });
   * const current = fresh ?? cached; // null: not modified, the cached copy is current
   */
  get(id: string, options: ConditionalReadOptions & { ifNoneMatch: string | number }): APIPromise<Sprint | null>;
  /**
   * Fetches one sprint.
   * @example
   * const sprint = await client.sprints.get('SPR-001');
   */
  get(id: string, options?: RequestOptions & { ifNoneMatch?: undefined }): APIPromise<Sprint>;
  /**
   * Fetches one sprint, conditionally when `options.ifNoneMatch` is set (null: not modified).
   * @example
   * const sprint = await client.sprints.get('SPR-001', options);
   */
  get(id: string, options?: ConditionalReadOptions): APIPromise<Sprint | null>;
  get(id: string, options?: ConditionalReadOptions): APIPromise<Sprint | null> {
    return callConditional(this.#transport, 'getSprint', { method: 'GET', path: `/api/v1/sprints/${segment(id)}`, secured: true, options });
  }

  /**
   * Changes the given fields of a sprint.
   * @example
   * await client.sprints.update('SPR-001', { end_date: '2026-11-16' });
   */
  update(id: string, changes: SprintUpdate, options?: WriteOptions): APIPromise<Sprint> {
    return callJson(this.#transport, 'updateSprint', {
      method: 'PATCH',
      path: `/api/v1/sprints/${segment(id)}`,
      body: changes,
      headers: ifMatchHeader(options),
      secured: true,
      options,
    });
  }

  /**
   * Deletes a sprint; its tasks stay, without a sprint.
   * @example
   * await client.sprints.delete('SPR-009');
   */
  delete(id: string, options?: WriteOptions): APIPromise<void> {
    return callEmpty(this.#transport, 'deleteSprint', {
      method: 'DELETE',
      path: `/api/v1/sprints/${segment(id)}`,
      headers: ifMatchHeader(options),
      secured: true,
      options,
    });
  }

  /**
   * Starts a planned sprint (ConflictError when the project already has an active one).
   * @example
   * await client.sprints.start('SPR-002');
   */
  start(id: string, options?: RequestOptions): APIPromise<Sprint> {
    return callJson(this.#transport, 'startSprint', {
      method: 'POST',
      path: `/api/v1/sprints/${segment(id)}/start`,
      secured: true,
      idempotent: true,
      options,
    });
  }

  /**
   * Completes an active sprint.
   * @example
   * await client.sprints.complete('SPR-001');
   */
  complete(id: string, options?: RequestOptions): APIPromise<Sprint> {
    return callJson(this.#transport, 'completeSprint', {
      method: 'POST',
      path: `/api/v1/sprints/${segment(id)}/complete`,
      secured: true,
      idempotent: true,
      options,
    });
  }

  /**
   * The burndown series: one point per day with remaining, ideal and completed tasks.
   * @example
   * const { points } = await client.sprints.burndown('SPR-001');
   */
  burndown(id: string, options?: RequestOptions): APIPromise<Burndown> {
    return callJson(this.#transport, 'getSprintBurndown', {
      method: 'GET',
      path: `/api/v1/sprints/${segment(id)}/burndown`,
      secured: true,
      options,
    });
  }

  /**
   * Assigns tasks of the sprint's project to the sprint.
   * @example
   * await client.sprints.assignTasks('SPR-001', ['TASK-000123', 'TASK-000124']);
   */
  assignTasks(id: string, taskIds: string[], options?: RequestOptions): APIPromise<SprintTaskAssignmentResult> {
    return callJson(this.#transport, 'assignSprintTasks', {
      method: 'POST',
      path: `/api/v1/sprints/${segment(id)}/tasks`,
      body: { task_ids: taskIds },
      secured: true,
      idempotent: true,
      options,
    });
  }

  /**
   * Removes a task from a sprint.
   * @example
   * await client.sprints.unassignTask('SPR-001', 'TASK-000123');
   */
  unassignTask(id: string, taskId: string, options?: RequestOptions): APIPromise<void> {
    return callEmpty(this.#transport, 'unassignSprintTask', {
      method: 'DELETE',
      path: `/api/v1/sprints/${segment(id)}/tasks/${segment(taskId)}`,
      secured: true,
      options,
    });
  }
}
