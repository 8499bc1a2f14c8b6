// The logic behind `dtm project …`: id checks, the changes a command line asks for, the
// project with its tasks, and what a refused delete means. Commands stay thin over this.
import type { DtmClient, Project, ProjectCreate, ProjectStatus, ProjectSummary, ProjectUpdate, Task } from '@dtm/sdk';
import { CliError, usageError } from './errors.js';
import { temporaryId } from './store/changes.js';
import type { DataLayer } from './store/data-layer.js';

const projectIdPattern = /^PRJ-\d{3,}$/i;

/** A project id as the API spells it (`prj-001` → `PRJ-001`); a usage error for anything else. */
export function projectId(value: string, what = 'project id'): string {
  const trimmed = value.trim();
  // A project created offline keeps its temporary id (PRJ-L and 8 hex digits) until `dtm sync`.
  if (/^PRJ-L[0-9a-f]{8}$/.test(trimmed)) return trimmed;
  if (!projectIdPattern.test(trimmed)) {
    throw usageError(`"${value}" is not a ${what}.`, 'Project ids look like PRJ-001; `dtm project list` shows them.');
  }
  return trimmed.toUpperCase();
}

/** An empty string clears a nullable text field; undefined leaves it alone. */
export function nullable(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value.trim() === '' ? null : value;
}

export interface ProjectFieldFlags {
  name?: string | undefined;
  description?: string | undefined;
  owner?: string | undefined;
  status?: ProjectStatus | undefined;
}

function checkName(name: string | undefined): void {
  if (name?.trim() === '') throw usageError('The project name must not be empty.');
}

/** The body of `createProject` from the flags. */
export function projectCreate(flags: ProjectFieldFlags & { name: string }): ProjectCreate {
  checkName(flags.name);
  const body: ProjectCreate = { name: flags.name };
  const description = nullable(flags.description);
  const owner = nullable(flags.owner);
  if (description !== undefined) body.description = description;
  if (owner !== undefined) body.owner = owner;
  if (flags.status !== undefined) body.status = flags.status;
  return body;
}

/** The body of `updateProject` from the flags; a usage error when nothing would change. */
export function projectUpdate(flags: ProjectFieldFlags): ProjectUpdate {
  checkName(flags.name);
  const changes: ProjectUpdate = {};
  const description = nullable(flags.description);
  const owner = nullable(flags.owner);
  if (flags.name !== undefined) changes.name = flags.name;
  if (description !== undefined) changes.description = description;
  if (owner !== undefined) changes.owner = owner;
  if (flags.status !== undefined) changes.status = flags.status;
  if (Object.keys(changes).length === 0) {
    throw usageError('Nothing to change.', 'Pass at least one of --name, --description, --owner, --status.');
  }
  return changes;
}

export interface ProjectWithTasks {
  project: Project;
  summary: ProjectSummary;
  tasks: Task[];
}

/** A project, its counts by status and priority, and every one of its tasks (all pages). */
export async function projectWithTasks(client: DtmClient, id: string): Promise<ProjectWithTasks> {
  const collect = async (): Promise<Task[]> => {
    const tasks: Task[] = [];
    for await (const task of client.tasks.listAll({ project_id: id, sort: 'id' })) tasks.push(task);
    return tasks;
  };
  // The project first: an unknown id then fails with one clear 404, not three.
  const project = await client.projects.get(id);
  const [summary, tasks] = await Promise.all([client.projects.summary(id), collect()]);
  return { project, summary, tasks };
}

interface ApiErrorShape {
  name: string;
  status?: number;
  requestId?: string;
  problem?: { detail?: string };
}

/** The SDK error of this class (by its literal name, so this module does not load the SDK). */
export function apiErrorNamed(error: unknown, name: string): ApiErrorShape | undefined {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name ? (error as ApiErrorShape) : undefined;
}

/**
 * A 409 from `deleteProject` means the project still has tasks or sprints: say so with the
 * API's own detail, and what to do instead. Any other error is returned unchanged.
 */
export function explainDeleteConflict(error: unknown, id: string): unknown {
  const conflict = apiErrorNamed(error, 'ConflictError');
  if (!conflict) return error;
  const detail = conflict.problem?.detail ?? `${id} still has tasks or sprints.`;
  return new CliError(`Cannot delete ${id}: ${detail}`, {
    hint:
      `Move or delete its tasks (\`dtm task list --project ${id}\`) and sprints (\`dtm sprint list --project ${id}\`) first, ` +
      `or archive it instead: \`dtm project update ${id} --status archived\`.`,
    code: 'conflict',
    cause: error,
  });
}

// What the project commands do with the data layer (the API first, the local store when it is
// unreachable), shared by `dtm project …` and `dtm mcp`.

export async function createProject(data: DataLayer, body: ProjectCreate): Promise<Project> {
  return (await data.changeRecord({ kind: 'projects', action: 'create', target: temporaryId('projects'), body }, (client, _change, idempotencyKey) =>
    client.projects.create(body, { idempotencyKey }),
  )) as Project;
}

/** Null when the project is not in the local store (queued offline). */
export function updateProject(data: DataLayer, id: string, changes: ProjectUpdate, ifMatch?: number): Promise<Project | null> {
  const change = { kind: 'projects', action: 'update', target: id, body: changes, ...(ifMatch === undefined ? {} : { base_version: ifMatch }) } as const;
  return data.changeRecord(change, (client, { target }, idempotencyKey) => client.projects.update(target, changes, { idempotencyKey, ...(ifMatch === undefined ? {} : { ifMatch }) }));
}
