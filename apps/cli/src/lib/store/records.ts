// Records of every kind in the store: upserted as the API returns them, read back by id or
// with the server's list semantics (the same filters, order and paging as listTasks,
// listProjects and listSprints), as indexed SQL queries.
import type { ListProjectsParams, ListSprintsParams, Project, Sprint, Task, TaskFilters } from '@dtm/sdk';
import type { Database, Statement } from './sqlite.js';

export type Kind = 'tasks' | 'projects' | 'sprints';
export interface Records {
  tasks: Task;
  projects: Project;
  sprints: Sprint;
}
export type RecordOf<K extends Kind> = Records[K];
export type AnyRecord = Task | Project | Sprint;

export const kinds: readonly Kind[] = ['tasks', 'projects', 'sprints'];

/** Workflow order of statuses and rank order of priorities, as the server sorts them. */
export const statusRank: Record<Task['status'], number> = { pending: 0, in_progress: 1, blocked: 2, completed: 3, cancelled: 4 };
export const priorityRank: Record<Task['priority'], number> = { low: 0, medium: 1, high: 2, critical: 3 };

type Row = (string | number | null)[];

/** The columns each kind's table keeps beside its JSON, taken from the record (in the order of columnNames). */
const columnsOf: { [K in Kind]: (record: RecordOf<K>) => Row } = {
  tasks: (task) => [
    statusRank[task.status],
    priorityRank[task.priority],
    task.project_id,
    task.sprint_id,
    task.assignee,
    task.title,
    task.description,
    task.due_date,
    task.created_at,
    task.updated_at,
    Date.parse(task.updated_at),
  ],
  projects: (project) => [project.status, project.name, project.description],
  sprints: (sprint) => [sprint.status, sprint.project_id, sprint.start_date],
};

const columnNames: Record<Kind, readonly string[]> = {
  tasks: ['status_rank', 'priority_rank', 'project_id', 'sprint_id', 'assignee', 'title', 'description', 'due_date', 'created_at', 'updated_at', 'updated_ms'],
  projects: ['status', 'name', 'description'],
  sprints: ['status', 'project_id', 'start_date'],
};

const statements = new WeakMap<Database, Map<string, Statement>>();

/** A prepared statement, prepared once per database. */
export function prepared(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (cache === undefined) statements.set(db, (cache = new Map<string, Statement>()));
  let statement = cache.get(sql);
  if (statement === undefined) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

function upsertSql(kind: Kind): string {
  const columns = ['id', 'version', 'data', ...columnNames[kind]];
  const updates = columns.filter((column) => column !== 'id').map((column) => `${column} = excluded.${column}`);
  // Unchanged rows are not written: the answer says whether the store changed (and the mirror must).
  return (
    `INSERT INTO ${kind} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} WHERE ${kind}.data IS NOT excluded.data`
  );
}

const upsertSqlOf = Object.fromEntries(kinds.map((kind) => [kind, upsertSql(kind)])) as Record<Kind, string>;

/** Writes these records as the API returned them; answers how many rows changed. Call inside a transaction for many. */
export function upsertRecords<K extends Kind>(db: Database, kind: K, records: readonly RecordOf<K>[]): number {
  const statement = prepared(db, upsertSqlOf[kind]);
  let changed = 0;
  for (const record of records) {
    changed += statement.run(record.id, record.version, JSON.stringify(record), ...columnsOf[kind](record)).changes;
  }
  return changed;
}

export function deleteRecords(db: Database, kind: Kind, ids: readonly string[]): number {
  const statement = prepared(db, `DELETE FROM ${kind} WHERE id = ?`);
  let changed = 0;
  for (const id of ids) changed += statement.run(id).changes;
  return changed;
}

export function getRecord<K extends Kind>(db: Database, kind: K, id: string): RecordOf<K> | undefined {
  const row = prepared(db, `SELECT data FROM ${kind} WHERE id = ?`).get(id) as { data: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.data) as RecordOf<K>);
}

export function countRecords(db: Database, kind: Kind): number {
  return (prepared(db, `SELECT count(*) AS n FROM ${kind}`).get() as { n: number }).n;
}

/** Every record of a kind, by id, read row by row (for the mirror and comparisons). */
export function* eachRecord<K extends Kind>(db: Database, kind: K): Generator<RecordOf<K>> {
  for (const row of prepared(db, `SELECT data FROM ${kind} ORDER BY id`).iterate() as Iterable<{ data: string }>) {
    yield JSON.parse(row.data) as RecordOf<K>;
  }
}

export interface Window {
  limit: number;
  offset: number;
}

export interface PageOf<T> extends Window {
  items: T[];
  total: number;
}

interface Query {
  where: string[];
  params: (string | number)[];
  order: string;
}

function taskQuery(filters: TaskFilters): Query {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const oneOf = (column: string, values: readonly number[]): void => {
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (filters.status !== undefined && filters.status.length > 0) oneOf('status_rank', filters.status.map((status) => statusRank[status]));
  if (filters.priority !== undefined && filters.priority.length > 0) oneOf('priority_rank', filters.priority.map((priority) => priorityRank[priority]));
  for (const column of ['project_id', 'sprint_id', 'assignee'] as const) {
    const value = filters[column];
    if (value !== undefined) {
      where.push(`${column} = ?`);
      params.push(value);
    }
  }
  if (filters.q !== undefined) {
    where.push('dtm_contains(?, title, description)');
    params.push(filters.q);
  }
  if (filters.updated_since !== undefined) {
    where.push('updated_ms >= ?');
    params.push(Date.parse(filters.updated_since));
  }
  const sort = filters.sort ?? 'id';
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  const direction = descending ? 'DESC' : 'ASC';
  const column = { id: 'id', status: 'status_rank', priority: 'priority_rank', due_date: 'due_date', created_at: 'created_at', updated_at: 'updated_ms', title: 'title' }[key] ?? 'id';
  // Ties by id; a task without a due date comes last in both directions (as the server sorts).
  const order = column === 'id' ? `id ${direction}` : `${column === 'due_date' ? 'due_date IS NULL, ' : ''}${column} ${direction}, id ASC`;
  return { where, params, order };
}

/** Case-insensitive substring match, as the server's `q` (JavaScript's toLowerCase, not SQLite's ASCII lower()). */
export function registerFunctions(db: Database): void {
  db.function('dtm_contains', { deterministic: true, varargs: true }, (needle: unknown, ...haystacks: unknown[]) => {
    const lower = String(needle).toLowerCase();
    return haystacks.some((text) => typeof text === 'string' && text.toLowerCase().includes(lower)) ? 1 : 0;
  });
}

function whereClause(query: Query): string {
  return query.where.length === 0 ? '' : `WHERE ${query.where.join(' AND ')}`;
}

/** Ids of the matching records in the server's order; a title sort is done here (the server compares titles by locale). */
function orderedIds(db: Database, kind: Kind, query: Query, sortByTitle: number, window?: Window): string[] {
  if (sortByTitle !== 0) {
    const rows = prepared(db, `SELECT id, title FROM ${kind} ${whereClause(query)}`).all(...query.params) as { id: string; title: string }[];
    rows.sort((a, b) => sortByTitle * a.title.localeCompare(b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const ids = rows.map((row) => row.id);
    return window === undefined ? ids : ids.slice(window.offset, window.offset + window.limit);
  }
  const paging = window === undefined ? '' : ` LIMIT ${window.limit} OFFSET ${window.offset}`;
  const rows = prepared(db, `SELECT id FROM ${kind} ${whereClause(query)} ORDER BY ${query.order}${paging}`).all(...query.params) as { id: string }[];
  return rows.map((row) => row.id);
}

function recordsByIds<K extends Kind>(db: Database, kind: K, ids: readonly string[]): RecordOf<K>[] {
  return ids.flatMap((id) => {
    const record = getRecord(db, kind, id);
    return record === undefined ? [] : [record];
  });
}

type ProjectQuery = Omit<ListProjectsParams, 'limit' | 'offset'>;
type SprintQuery = Omit<ListSprintsParams, 'limit' | 'offset'>;
export interface Filters {
  tasks: TaskFilters;
  projects: ProjectQuery;
  sprints: SprintQuery;
}

function queryOf<K extends Kind>(kind: K, filters: Filters[K]): { query: Query; sortByTitle: number } {
  if (kind === 'tasks') {
    const sort = (filters as TaskFilters).sort;
    return { query: taskQuery(filters as TaskFilters), sortByTitle: sort === 'title' ? 1 : sort === '-title' ? -1 : 0 };
  }
  const where: string[] = [];
  const params: string[] = [];
  const { status } = filters as ProjectQuery | SprintQuery;
  if (status !== undefined) {
    where.push('status = ?');
    params.push(status);
  }
  if (kind === 'projects') {
    const { q } = filters as ProjectQuery;
    if (q !== undefined) {
      where.push('dtm_contains(?, name, description)');
      params.push(q);
    }
    return { query: { where, params, order: 'id ASC' }, sortByTitle: 0 };
  }
  const projectId = (filters as SprintQuery).project_id;
  if (projectId !== undefined) {
    where.push('project_id = ?');
    params.push(projectId);
  }
  // Latest start first, ties by id.
  return { query: { where, params, order: 'start_date DESC, id ASC' }, sortByTitle: 0 };
}

/** One page of the matching records, as the list operation returns it. */
export function listPage<K extends Kind>(db: Database, kind: K, filters: Filters[K], window: Window): PageOf<RecordOf<K>> {
  const { query, sortByTitle } = queryOf(kind, filters);
  const total = (prepared(db, `SELECT count(*) AS n FROM ${kind} ${whereClause(query)}`).get(...query.params) as { n: number }).n;
  const ids = orderedIds(db, kind, query, sortByTitle, window);
  return { items: recordsByIds(db, kind, ids), total, limit: window.limit, offset: window.offset };
}

/** Every matching record, in the server's order. */
export function listAll<K extends Kind>(db: Database, kind: K, filters: Filters[K]): RecordOf<K>[] {
  const { query, sortByTitle } = queryOf(kind, filters);
  return recordsByIds(db, kind, orderedIds(db, kind, query, sortByTitle));
}
