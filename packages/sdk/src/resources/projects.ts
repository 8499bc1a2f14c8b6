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

type Project = components['schemas']['Project'];
type ProjectPage = components['schemas']['ProjectPage'];
type ProjectCreate = components['schemas']['ProjectCreate'];
type ProjectUpdate = components['schemas']['ProjectUpdate'];
type ProjectSummary = components['schemas']['ProjectSummary'];

/** The query of `projects.list()`: `status`, `q`, `limit` and `offset`, as listProjects in openapi.yaml defines them. */
export type ListProjectsParams = QueryOf<'listProjects'>;
/** The filters of `projects.listAll()`: `ListProjectsParams` without `limit` and `offset`, which the walk sets. */
export type ProjectFilters = Omit<ListProjectsParams, 'limit' | 'offset'>;

/** Projects: `client.projects`. */
export class ProjectsResource {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Lists one page of projects.
   * @example
   * const { items } = await client.projects.list({ status: 'active' });
   */
  list(params: ListProjectsParams = {}, options?: RequestOptions): APIPromise<NavigablePage<ProjectPage>> {
    return callPage(this.#transport, 'listProjects', { method: 'GET', path: '/api/v1/projects', query: params, secured: true, options }, (offset) => this.list({ ...params, offset }, options));
  }

  /**
   * Iterates over every matching project, page by page.
   * @example
   * for await (const project of client.projects.listAll()) console.log(project.id, project.name);
   */
  listAll(filters: ProjectFilters = {}, options?: RequestOptions & { pageSize?: number }): PageWalk<Project, ProjectPage> {
    const limit = options?.pageSize ?? 100;
    return walkItems((offset) => this.list({ ...filters, limit, offset }, options));
  }

  /**
   * Creates a project; names are unique (ConflictError otherwise).
   * @example
   * const project = await client.projects.create({ name: 'Website relaunch' });
   */
  create(project: ProjectCreate, options?: RequestOptions): APIPromise<Project> {
    return callJson(this.#transport, 'createProject', {
      method: 'POST',
      path: '/api/v1/projects',
      body: project,
      secured: true,
      idempotent: true,
      options,
    });
  }

  /**
   * Fetches one project only if it changed: with `ifNoneMatch` (the `version` or ETag of the
   * copy you hold) the call resolves with null when the server answers 304 Not Modified,
   * meaning your copy is current, and with the project otherwise.
   * @example
   * const fresh = await client.projects.get('PRJ-001', { ifNoneMatch: cached.version });
   * const current = fresh ?? cached; // null: not modified, the cached copy is current
   */
  get(id: string, options: ConditionalReadOptions & { ifNoneMatch: string | number }): APIPromise<Project | null>;
  /**
   * Fetches one project.
   * @example
   * const project = await client.projects.get('PRJ-001');
   */
  get(id: string, options?: RequestOptions & { ifNoneMatch?: undefined }): APIPromise<Project>;
  /**
   * Fetches one project, conditionally when `options.ifNoneMatch` is set (null: not modified).
   * @example
   * const project = await client.projects.get('PRJ-001', options);
   */
  get(id: string, options?: ConditionalReadOptions): APIPromise<Project | null>;
  get(id: string, options?: ConditionalReadOptions): APIPromise<Project | null> {
    return callConditional(this.#transport, 'getProject', { method: 'GET', path: `/api/v1/projects/${segment(id)}`, secured: true, options });
  }

  /**
   * Changes the given fields of a project.
   * @example
   * await client.projects.update('PRJ-001', { status: 'archived' }, { ifMatch: 3 });
   */
  update(id: string, changes: ProjectUpdate, options?: WriteOptions): APIPromise<Project> {
    return callJson(this.#transport, 'updateProject', {
      method: 'PATCH',
      path: `/api/v1/projects/${segment(id)}`,
      body: changes,
      headers: ifMatchHeader(options),
      secured: true,
      options,
    });
  }

  /**
   * Deletes a project that has no tasks or sprints left (ConflictError otherwise).
   * @example
   * await client.projects.delete('PRJ-007');
   */
  delete(id: string, options?: WriteOptions): APIPromise<void> {
    return callEmpty(this.#transport, 'deleteProject', {
      method: 'DELETE',
      path: `/api/v1/projects/${segment(id)}`,
      headers: ifMatchHeader(options),
      secured: true,
      options,
    });
  }

  /**
   * Counts a project's tasks by status and priority.
   * @example
   * const { by_status, completion_rate } = await client.projects.summary('PRJ-001');
   */
  summary(id: string, options?: RequestOptions): APIPromise<ProjectSummary> {
    return callJson(this.#transport, 'getProjectSummary', {
      method: 'GET',
      path: `/api/v1/projects/${segment(id)}/summary`,
      secured: true,
      options,
    });
  }
}
