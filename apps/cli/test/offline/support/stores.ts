// Support for the failpoint and property tests of the local store: `dtm` run with a data dir
// of its own against a sandbox's server, what its store holds (read through `dtm … --offline`
// and `dtm status sync`, never by opening the SQLite file), and what the server holds (read
// through the SDK).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtmClient, type Project, type Sprint, type Task } from '@dtm/sdk';
import type { Result, RunOptions, Sandbox } from '../../harness.js';

export interface Records {
  tasks: Task[];
  projects: Project[];
  sprints: Sprint[];
}

/** What `dtm status sync --json` says about the outbox and the conflicts (no API call). */
export interface SyncStatus {
  pending: number;
  pending_changes: { kind: string; record_id: string; action: string; queued_at: string }[];
  conflicts: number;
  records: Record<keyof Records, number | null>;
}

/** A `dtm` user with a data dir (and so a local store) of its own; the sandbox's login is shared. */
export interface Client {
  readonly name: string;
  readonly dataDir: string;
  run(args: readonly string[], env?: Record<string, string>): Promise<Result>;
  /** Removes the data dir. */
  dispose(): Promise<void>;
}

/** The CSV mirror is written by a detached `dtm` after each command; off here, so that every spawn is one the test counts. */
const quiet = { DTM_MIRROR: 'off' };

export async function newClient(box: Sandbox, name: string): Promise<Client> {
  const dataDir = await mkdtemp(join(tmpdir(), `dtm-store-${name}-`));
  return {
    name,
    dataDir,
    run: (args, env = {}) => box.run(args, { env: { ...quiet, DTM_DATA_DIR: dataDir, ...env } } satisfies RunOptions),
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** The failpoint named by DTM_TEST_CRASH_AT makes `dtm` SIGKILL itself there. */
export function crashAt(point: string): Record<string, string> {
  return { DTM_TEST_CRASH_AT: point };
}

export function describeRun(args: readonly string[], result: Result): string {
  return `dtm ${args.join(' ')} → code ${String(result.code)}, signal ${String(result.signal)}\n${result.stdout}${result.stderr}`;
}

/** Runs `dtm` and parses its JSON, which it must print with one of these exit codes. */
export async function runJson(client: Client, args: readonly string[], codes: readonly number[] = [0]): Promise<{ code: number; value: unknown; stderr: string }> {
  const result = await client.run([...args, '--json']);
  if (result.code === null || !codes.includes(result.code)) throw new Error(`expected exit ${codes.join(' or ')}: ${describeRun([...args, '--json'], result)}`);
  return { code: result.code, value: JSON.parse(result.stdout) as unknown, stderr: result.stderr };
}

/** What `dtm sync --json` reports. */
export interface SyncReport {
  applied: number;
  conflicts: { id: string; kind: string; record_id: string; entry: { action: string; body?: Record<string, unknown>; base_version?: number }; reason: string }[];
  remaining: number;
  pulled: { upserted: number; deleted: number; full: boolean } | null;
}

/** `dtm sync --json`, which must exit with one of these codes (3: conflicts are open). */
export async function sync(client: Client, codes: readonly number[] = [0]): Promise<{ code: number; report: SyncReport }> {
  const { code, value } = await runJson(client, ['sync'], codes);
  return { code, report: value as SyncReport };
}

export async function apiClient(box: Sandbox): Promise<DtmClient> {
  const api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
  return api;
}

const byId = <T extends { id: string }>(records: T[]): T[] => records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

async function collect<T extends { id: string }>(records: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const record of records) all.push(record);
  return byId(all);
}

/** Every record of every kind on the server, by id. */
export async function serverRecords(api: DtmClient): Promise<Records> {
  const [tasks, projects, sprints] = await Promise.all([
    collect(api.tasks.listAll({}, { pageSize: 1000 })),
    collect(api.projects.listAll({}, { pageSize: 1000 })),
    collect(api.sprints.listAll({}, { pageSize: 1000 })),
  ]);
  return { tasks, projects, sprints };
}

/** Every record of one kind in the client's store (`dtm <kind> list --all --offline --json`, exit 3: a local answer). */
export async function localList<K extends keyof Records>(client: Client, kind: K): Promise<Records[K]> {
  const noun = kind === 'tasks' ? 'task' : kind === 'projects' ? 'project' : 'sprint';
  const { value } = await runJson(client, [noun, 'list', '--all', '--offline'], [3]);
  return byId(value as { id: string }[]) as Records[K];
}

/** Every record of every kind in the client's store, by id. */
export async function localRecords(client: Client): Promise<Records> {
  const [tasks, projects, sprints] = await Promise.all([localList(client, 'tasks'), localList(client, 'projects'), localList(client, 'sprints')]);
  return { tasks, projects, sprints };
}

export async function syncStatus(client: Client): Promise<SyncStatus> {
  return (await runJson(client, ['status', 'sync'], [0, 3])).value as SyncStatus;
}

export interface Drift {
  kind: keyof Records;
  only_local: string[];
  only_remote: string[];
  changed: { id: string; fields: string[] }[];
}

/**
 * `dtm status sync --check-csv-drift`: the outbox, the conflicts, and what differs between the
 * store and the API, kind by kind (one `dtm` run instead of a listing of every kind).
 */
export async function syncStatusWithDrift(client: Client): Promise<SyncStatus & { drift: Drift[] }> {
  return (await runJson(client, ['status', 'sync', '--check-csv-drift'], [0, 3])).value as SyncStatus & { drift: Drift[] };
}

/** The drift report of a store equal to the server. */
export const noDrift: Drift[] = (['tasks', 'projects', 'sprints'] as const).map((kind) => ({ kind, only_local: [], only_remote: [], changed: [] }));
