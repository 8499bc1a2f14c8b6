import { HttpProblem, conflict, invalid, notFound } from './problems.js';
import { JsonTexts } from './json-text.js';
import type { TaskFilter } from './task-filter.js';
import { TaskIndex } from './task-index.js';
import type {
  Burndown,
  FieldChange,
  Page,
  Project,
  ProjectCreate,
  ProjectStatus,
  ProjectSummary,
  ProjectUpdate,
  Sprint,
  SprintCreate,
  SprintStatus,
  SprintUpdate,
  Task,
  TaskCreate,
  TaskHistoryEntry,
  TaskPriority,
  TaskStatus,
  TaskUpdate,
} from './types.js';

export type { TaskFilter } from './task-filter.js';

export const taskStatuses: readonly TaskStatus[] = ['pending', 'in_progress', 'blocked', 'completed', 'cancelled'];
export const taskPriorities: readonly TaskPriority[] = ['low', 'medium', 'high', 'critical'];

/** Everything the store holds, as saved to and loaded from a data file. */
export interface StoreSnapshot {
  format: 'dtm-mock-data';
  version: 1;
  counters: { task: number; project: number; sprint: number; history: number };
  projects: Project[];
  sprints: Sprint[];
  tasks: Task[];
  history: TaskHistoryEntry[];
}

/** The kinds of record the change feed follows. */
export type RecordKind = 'task' | 'project' | 'sprint';

/**
 * One record created or changed (`record` is the new version) or deleted (`record` is
 * undefined, `version` the version it had), as the change feed records it.
 */
export interface RecordChange {
  kind: RecordKind;
  id: string;
  version: number;
  at: string;
  record: Task | Project | Sprint | undefined;
}

export interface Window {
  limit: number;
  offset: number;
}

/** The strong ETag of a resource version. */
export const etagOf = (resource: { version: number }): string => `"${resource.version}"`;

function checkIfMatch(resource: { id: string; version: number }, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const wanted = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (wanted.includes('*') || wanted.includes(etagOf(resource))) return;
  throw new HttpProblem(
    412,
    `${resource.id} has changed since you read it (If-Match ${ifMatch}, current ${etagOf(resource)}). Read it again and reapply your change.`,
    { headers: { etag: etagOf(resource) } },
  );
}

// One frozen empty list for every record that has none: millions of them at a large seed.
const noChanges = Object.freeze([]) as unknown as FieldChange[];
const noTags = Object.freeze([]) as unknown as string[];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function page<T>(all: T[], window: Window): Page<T> {
  return { items: all.slice(window.offset, window.offset + window.limit), total: all.length, ...window };
}

function dayOf(timestamp: string): string {
  return timestamp.slice(0, 10);
}

function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The mock's data: projects, sprints, tasks and task history, with the rules of the
 * contract (ids, versions, If-Match, references between resources). Handlers call it;
 * it throws HttpProblem for anything the client must be told.
 */
export class Store {
  readonly #tasks = new Map<string, Task>();
  /** The tasks again, in every order and group a list page needs (task-index.ts); stale while `#batching`. */
  readonly #index = new TaskIndex();
  /** Enough for the pages a busy client reads over and over; the rest are serialised again. */
  readonly #taskTexts = new JsonTexts<Task>(10_000);
  /**
   * While a batch runs: the latest change of each record it wrote, by kind and id, reported
   * when it ends; `all` when the store was empty before it (the seed), so that every record is.
   */
  #batching: Record<RecordKind, Map<string, RecordChange>> | 'all' | undefined;
  readonly #projects = new Map<string, Project>();
  readonly #sprints = new Map<string, Sprint>();
  readonly #history = new Map<string, TaskHistoryEntry[]>();
  #counters = { task: 0, project: 0, sprint: 0, history: 0 };
  readonly #now: () => Date;
  /** Called after every change, for persistence. */
  onChange: (() => void) | undefined;
  /** Called for every record written or deleted, for the change feed (engines/stateful/changes.ts). */
  onRecord: ((change: RecordChange) => void) | undefined;

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  get taskCount(): number {
    return this.#tasks.size;
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }

  #changed(): void {
    if (!this.#batching) this.onChange?.();
  }

  #report(change: RecordChange): void {
    if (this.#batching === undefined) this.onRecord?.(change);
    else if (this.#batching !== 'all') this.#batching[change.kind].set(change.id, change);
  }

  #wrote(kind: RecordKind, record: Task | Project | Sprint): void {
    this.#report({ kind, id: record.id, version: record.version, at: record.updated_at, record });
  }

  #deleted(kind: RecordKind, record: Task | Project | Sprint, at: string): void {
    this.#report({ kind, id: record.id, version: record.version, at, record: undefined });
  }

  // ---- snapshot -------------------------------------------------------------

  snapshot(): StoreSnapshot {
    return {
      format: 'dtm-mock-data',
      version: 1,
      counters: { ...this.#counters },
      projects: [...this.#projects.values()],
      sprints: [...this.#sprints.values()],
      tasks: [...this.#tasks.values()],
      history: [...this.#history.values()].flat(),
    };
  }

  load(snapshot: StoreSnapshot): void {
    this.#tasks.clear();
    this.#projects.clear();
    this.#sprints.clear();
    this.#history.clear();
    this.#counters = { ...snapshot.counters };
    for (const project of snapshot.projects) this.#projects.set(project.id, project);
    for (const sprint of snapshot.sprints) this.#sprints.set(sprint.id, sprint);
    for (const task of snapshot.tasks) this.#tasks.set(task.id, task);
    for (const entry of snapshot.history) this.#appendHistory(entry);
    this.#index.rebuild([...this.#tasks.values()]);
  }

  /**
   * Runs many writes (the seed) as one: the task indexes are built once at the end rather than
   * kept up to date, and the change feed hears of each record once, in its latest version.
   */
  batch(work: () => void): void {
    const empty = this.#tasks.size + this.#projects.size + this.#sprints.size === 0;
    const changes = { project: new Map<string, RecordChange>(), sprint: new Map<string, RecordChange>(), task: new Map<string, RecordChange>() };
    // On an empty store every record is new: they are reported from the store at the end rather than kept meanwhile.
    this.#batching = empty ? 'all' : changes;
    try {
      work();
    } finally {
      this.#batching = undefined;
      this.#index.rebuild([...this.#tasks.values()]);
      const stores = { project: this.#projects, sprint: this.#sprints, task: this.#tasks };
      let reported = 0;
      // Projects, then sprints, then tasks: the order a seed writes them in.
      for (const kind of ['project', 'sprint', 'task'] as const) {
        if (!empty) for (const change of changes[kind].values()) this.onRecord?.(change);
        else for (const record of stores[kind].values()) this.#wrote(kind, record);
        reported += empty ? stores[kind].size : changes[kind].size;
      }
      if (reported > 0) this.#changed();
    }
  }

  // ---- tasks ----------------------------------------------------------------

  /** Every task matching the filter, in the filter's order (by id when none is given). */
  matchingTasks(filter: TaskFilter): Task[] {
    return this.#index.query(filter, 0, Number.POSITIVE_INFINITY).items;
  }

  listTasks(filter: TaskFilter, window: Window): Page<Task> {
    return { ...this.#index.query(filter, window.offset, window.limit), ...window };
  }

  /** The task's JSON text in UTF-8 (cached: a task object is never changed in place, see #putTask). */
  taskText(task: Task): Buffer {
    return this.#taskTexts.of(task);
  }

  /**
   * Stores a new task or a new version of one, keeping the indexes right. Every version is a
   * new object, never one changed in place: the indexes and the cached JSON texts rely on it.
   */
  #putTask(task: Task, previous?: Task): void {
    this.#tasks.set(task.id, task);
    if (this.#batching) return;
    if (previous) this.#index.replace(previous, task);
    else this.#index.add(task);
  }

  #dropTask(task: Task): void {
    this.#tasks.delete(task.id);
    if (!this.#batching) this.#index.remove(task);
  }

  getTask(id: string): Task {
    const task = this.#tasks.get(id);
    if (!task) throw notFound('task', id);
    return task;
  }

  #checkTaskReferences(projectId: string | null | undefined, sprintId: string | null | undefined): void {
    if (projectId != null && !this.#projects.has(projectId)) {
      throw invalid('project_id', `refers to ${projectId}, which does not exist`);
    }
    if (sprintId == null) return;
    const sprint = this.#sprints.get(sprintId);
    if (!sprint) throw invalid('sprint_id', `refers to ${sprintId}, which does not exist`);
    if (projectId != null && sprint.project_id !== projectId) {
      throw invalid('sprint_id', `refers to ${sprintId}, which belongs to ${sprint.project_id}, not ${projectId}`);
    }
  }

  createTask(input: TaskCreate, actor: string, at: string = this.#timestamp()): Task {
    const sprint = input.sprint_id == null ? undefined : this.#sprints.get(input.sprint_id);
    const projectId = input.project_id ?? sprint?.project_id ?? null;
    this.#checkTaskReferences(projectId, input.sprint_id);
    const status = input.status ?? 'pending';
    this.#counters.task += 1;
    const task: Task = {
      id: `TASK-${pad(this.#counters.task, 6)}`,
      title: input.title,
      description: input.description ?? null,
      status,
      priority: input.priority ?? 'medium',
      project_id: projectId,
      sprint_id: input.sprint_id ?? null,
      assignee: input.assignee ?? null,
      tags: input.tags ?? noTags,
      due_date: input.due_date ?? null,
      estimate_hours: input.estimate_hours ?? null,
      completed_at: status === 'completed' ? at : null,
      completion_notes: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    this.#putTask(task);
    this.#wrote('task', task);
    this.#record(task.id, 'created', actor, at, noChanges);
    this.#changed();
    return task;
  }

  updateTask(id: string, patch: TaskUpdate, actor: string, ifMatch?: string): Task {
    const task = this.getTask(id);
    checkIfMatch(task, ifMatch);
    const projectId = patch.project_id === undefined ? task.project_id : patch.project_id;
    const sprintId = patch.sprint_id === undefined ? task.sprint_id : patch.sprint_id;
    this.#checkTaskReferences(projectId, sprintId);
    const at = this.#timestamp();
    const next: Task = { ...task, ...(patch as Partial<Task>) };
    if (patch.status !== undefined && patch.status !== task.status) {
      next.completed_at = patch.status === 'completed' ? at : null;
    }
    const changes = diff(task, next);
    if (changes.length === 0) return task; // nothing changed: same version, no history entry
    next.version = task.version + 1;
    next.updated_at = at;
    this.#putTask(next, task);
    this.#wrote('task', next);
    this.#record(id, 'updated', actor, at, changes);
    this.#changed();
    return next;
  }

  completeTask(id: string, notes: string | undefined, actor: string, ifMatch?: string, at: string = this.#timestamp()): Task {
    const task = this.getTask(id);
    checkIfMatch(task, ifMatch);
    // Completing again is a no-op (the contract's completeTask); a cancelled task cannot be completed.
    if (task.status === 'completed') return task;
    if (task.status === 'cancelled') throw conflict(`${id} is cancelled; reopen it (set another status) before completing it.`);
    const next: Task = {
      ...task,
      status: 'completed',
      completed_at: at,
      completion_notes: notes ?? task.completion_notes,
      updated_at: at,
      version: task.version + 1,
    };
    this.#putTask(next, task);
    this.#wrote('task', next);
    this.#record(id, 'completed', actor, at, diff(task, next));
    this.#changed();
    return next;
  }

  deleteTask(id: string, actor: string, ifMatch?: string): void {
    const task = this.getTask(id);
    checkIfMatch(task, ifMatch);
    this.#dropTask(task);
    const at = this.#timestamp();
    this.#deleted('task', task, at);
    this.#record(id, 'deleted', actor, at, noChanges);
    this.#changed();
  }

  /** The audit trail of a task, oldest first; kept after the task is deleted. */
  taskHistory(id: string, window: Window): Page<TaskHistoryEntry> {
    const entries = this.#history.get(id);
    if (!entries) throw notFound('task', id);
    return page(entries, window);
  }

  /**
   * Most tasks have one or two entries, and a list grown by push from empty reserves room for
   * 17: a short list is copied to its exact size instead (a million tasks save ~150 MB).
   */
  #appendHistory(entry: TaskHistoryEntry): void {
    const entries = this.#history.get(entry.task_id);
    if (entries && entries.length >= 4) entries.push(entry);
    else this.#history.set(entry.task_id, entries ? entries.concat([entry]) : [entry]);
  }

  #record(taskId: string, action: TaskHistoryEntry['action'], actor: string, at: string, changes: FieldChange[]): void {
    this.#counters.history += 1;
    this.#appendHistory({ id: this.#counters.history, task_id: taskId, action, actor, at, changes });
  }

  // ---- projects -------------------------------------------------------------

  listProjects(filter: { status?: ProjectStatus | undefined; q?: string | undefined }, window: Window): Page<Project> {
    const q = filter.q?.toLowerCase();
    const found = [...this.#projects.values()].filter(
      (project) =>
        (filter.status === undefined || project.status === filter.status) &&
        (q === undefined || project.name.toLowerCase().includes(q) || (project.description ?? '').toLowerCase().includes(q)),
    );
    return page(found, window);
  }

  getProject(id: string): Project {
    const project = this.#projects.get(id);
    if (!project) throw notFound('project', id);
    return project;
  }

  #checkProjectName(name: string, except?: string): void {
    for (const project of this.#projects.values()) {
      if (project.name === name && project.id !== except) {
        throw conflict(`${project.id} is already named "${name}"; project names are unique.`);
      }
    }
  }

  createProject(input: ProjectCreate, at: string = this.#timestamp()): Project {
    this.#checkProjectName(input.name);
    this.#counters.project += 1;
    const project: Project = {
      id: `PRJ-${pad(this.#counters.project, 3)}`,
      name: input.name,
      description: input.description ?? null,
      status: input.status ?? 'active',
      owner: input.owner ?? null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    this.#projects.set(project.id, project);
    this.#wrote('project', project);
    this.#changed();
    return project;
  }

  updateProject(id: string, patch: ProjectUpdate, ifMatch?: string): Project {
    const project = this.getProject(id);
    checkIfMatch(project, ifMatch);
    if (patch.name !== undefined) this.#checkProjectName(patch.name, id);
    const next: Project = { ...project, ...(patch as Partial<Project>) };
    if (diff(project, next).length === 0) return project;
    next.version = project.version + 1;
    next.updated_at = this.#timestamp();
    this.#projects.set(id, next);
    this.#wrote('project', next);
    this.#changed();
    return next;
  }

  deleteProject(id: string, ifMatch?: string): void {
    const project = this.getProject(id);
    checkIfMatch(project, ifMatch);
    let tasks = 0;
    for (const task of this.#tasks.values()) if (task.project_id === id) tasks++;
    const sprints = [...this.#sprints.values()].filter((sprint) => sprint.project_id === id).length;
    if (tasks > 0 || sprints > 0) {
      throw conflict(`${id} still has ${tasks} task(s) and ${sprints} sprint(s); delete or move them first, or archive the project.`);
    }
    this.#projects.delete(id);
    this.#deleted('project', project, this.#timestamp());
    this.#changed();
  }

  projectSummary(id: string): ProjectSummary {
    this.getProject(id);
    const byStatus = Object.fromEntries(taskStatuses.map((status) => [status, 0])) as ProjectSummary['by_status'];
    const byPriority = Object.fromEntries(taskPriorities.map((priority) => [priority, 0])) as ProjectSummary['by_priority'];
    let total = 0;
    for (const task of this.#tasks.values()) {
      if (task.project_id !== id) continue;
      total++;
      byStatus[task.status]++;
      byPriority[task.priority]++;
    }
    const open = total - byStatus.cancelled;
    const completionRate = open === 0 ? 0 : Math.round((byStatus.completed / open) * 10_000) / 10_000;
    return { project_id: id, total, by_status: byStatus, by_priority: byPriority, completion_rate: completionRate };
  }

  // ---- sprints --------------------------------------------------------------

  listSprints(filter: { status?: SprintStatus | undefined; project_id?: string | undefined }, window: Window): Page<Sprint> {
    const found = [...this.#sprints.values()].filter(
      (sprint) =>
        (filter.status === undefined || sprint.status === filter.status) &&
        (filter.project_id === undefined || sprint.project_id === filter.project_id),
    );
    // Latest start first (the contract's listSprints); ties by id.
    found.sort((a, b) => b.start_date.localeCompare(a.start_date) || a.id.localeCompare(b.id));
    return page(found, window);
  }

  getSprint(id: string): Sprint {
    const sprint = this.#sprints.get(id);
    if (!sprint) throw notFound('sprint', id);
    return sprint;
  }

  createSprint(input: SprintCreate, at: string = this.#timestamp()): Sprint {
    if (!this.#projects.has(input.project_id)) throw notFound('project', input.project_id);
    if (input.end_date < input.start_date) throw invalid('end_date', `must not be before start_date ${input.start_date}`);
    this.#counters.sprint += 1;
    const sprint: Sprint = {
      id: `SPR-${pad(this.#counters.sprint, 3)}`,
      name: input.name,
      project_id: input.project_id,
      goal: input.goal ?? null,
      status: 'planned',
      start_date: input.start_date,
      end_date: input.end_date,
      started_at: null,
      completed_at: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    this.#sprints.set(sprint.id, sprint);
    this.#wrote('sprint', sprint);
    this.#changed();
    return sprint;
  }

  updateSprint(id: string, patch: SprintUpdate, ifMatch?: string): Sprint {
    const sprint = this.getSprint(id);
    checkIfMatch(sprint, ifMatch);
    const next: Sprint = { ...sprint, ...(patch as Partial<Sprint>) };
    if (next.end_date < next.start_date) throw invalid('end_date', `must not be before start_date ${next.start_date}`);
    if (diff(sprint, next).length === 0) return sprint;
    return this.#saveSprint(sprint, next);
  }

  #saveSprint(sprint: Sprint, next: Sprint): Sprint {
    next.version = sprint.version + 1;
    next.updated_at = this.#timestamp();
    this.#sprints.set(sprint.id, next);
    this.#wrote('sprint', next);
    this.#changed();
    return next;
  }

  deleteSprint(id: string, actor: string, ifMatch?: string): void {
    const sprint = this.getSprint(id);
    checkIfMatch(sprint, ifMatch);
    for (const task of this.#tasks.values()) {
      if (task.sprint_id === id) this.#setSprint(task, null, actor);
    }
    this.#sprints.delete(id);
    this.#deleted('sprint', sprint, this.#timestamp());
    this.#changed();
  }

  startSprint(id: string): Sprint {
    const sprint = this.getSprint(id);
    if (sprint.status !== 'planned') throw conflict(`${id} is ${sprint.status}; only a planned sprint can be started.`);
    const active = [...this.#sprints.values()].find((other) => other.project_id === sprint.project_id && other.status === 'active');
    if (active) throw conflict(`${active.id} is already active in ${sprint.project_id}; complete it before starting ${id}.`);
    return this.#saveSprint(sprint, { ...sprint, status: 'active', started_at: this.#timestamp() });
  }

  completeSprint(id: string): Sprint {
    const sprint = this.getSprint(id);
    if (sprint.status !== 'active') throw conflict(`${id} is ${sprint.status}; only an active sprint can be completed.`);
    return this.#saveSprint(sprint, { ...sprint, status: 'completed', completed_at: this.#timestamp() });
  }

  /** Puts tasks into a sprint: all or none. */
  assignToSprint(id: string, taskIds: string[], actor: string): string[] {
    const sprint = this.getSprint(id);
    if (sprint.status === 'completed') throw conflict(`${id} is completed; tasks cannot be added to it.`);
    const missing = taskIds.filter((taskId) => !this.#tasks.has(taskId));
    if (missing.length > 0) {
      throw new HttpProblem(404, `No task with id ${missing.join(', ')}; nothing was assigned.`);
    }
    const tasks = taskIds.map((taskId) => this.getTask(taskId));
    const foreign = tasks.filter((task) => task.project_id !== null && task.project_id !== sprint.project_id);
    if (foreign.length > 0) {
      const detail = `${foreign.map((task) => `${task.id} belongs to ${String(task.project_id)}`).join(', ')}, not to ${sprint.project_id}`;
      throw invalid('task_ids', `lists tasks of another project (${detail}); nothing was assigned`);
    }
    for (const task of tasks) this.#setSprint(task, id, actor, sprint.project_id);
    this.#changed();
    return taskIds;
  }

  unassignFromSprint(id: string, taskId: string, actor: string): void {
    this.getSprint(id);
    const task = this.getTask(taskId);
    if (task.sprint_id !== id) throw new HttpProblem(404, `${taskId} is not in ${id}.`);
    this.#setSprint(task, null, actor);
    this.#changed();
  }

  #setSprint(task: Task, sprintId: string | null, actor: string, projectId: string | null = task.project_id): void {
    const next: Task = { ...task, sprint_id: sprintId, project_id: projectId };
    const changes = diff(task, next);
    if (changes.length === 0) return;
    const at = this.#timestamp();
    next.version = task.version + 1;
    next.updated_at = at;
    this.#putTask(next, task);
    this.#wrote('task', next);
    this.#record(task.id, 'updated', actor, at, changes);
  }

  /**
   * One point per day of the sprint: tasks remaining and completed at the end of that day
   * (null for days still to come), and the ideal straight line from scope to zero.
   */
  burndown(id: string): Burndown {
    const sprint = this.getSprint(id);
    const tasks = [...this.#tasks.values()].filter((task) => task.sprint_id === id && task.status !== 'cancelled');
    const scope = tasks.length;
    const doneDays = tasks.flatMap((task) => (task.status === 'completed' && task.completed_at ? [dayOf(task.completed_at)] : []));
    const today = dayOf(this.#timestamp());
    const days = Math.max(daysBetween(sprint.start_date, sprint.end_date), 0) + 1;
    const points = Array.from({ length: days }, (_, index) => {
      const date = addDays(sprint.start_date, index);
      const ideal = days === 1 ? 0 : Math.round(scope * (1 - index / (days - 1)) * 100) / 100;
      if (date > today) return { date, remaining: null, ideal, completed: null };
      // remaining: open at the end of the day; completed: finished during that day (the contract's BurndownPoint).
      const completedByThen = doneDays.filter((day) => day <= date).length;
      const completed = doneDays.filter((day) => day === date).length;
      return { date, remaining: scope - completedByThen, ideal, completed };
    });
    return { sprint_id: id, unit: 'tasks', start_date: sprint.start_date, end_date: sprint.end_date, scope, points };
  }
}

/** The fields whose values differ between two versions of a resource (bookkeeping fields aside). */
function diff<T extends object>(before: T, after: T): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of Object.keys(after) as (keyof T & string)[]) {
    if (field === 'version' || field === 'updated_at') continue;
    const from = before[field];
    const to = after[field];
    if (from === to) continue;
    // Values are JSON: text, numbers, null, or lists of text (tags), which compare by content.
    const objects = typeof from === 'object' && typeof to === 'object' && from !== null && to !== null;
    if (!objects || JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from: from ?? null, to: to ?? null });
  }
  return changes.slice(); // exact size: kept in the history of every write
}
