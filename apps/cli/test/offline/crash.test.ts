// Crash safety of the outbox, for every kind: `dtm` is killed with SIGKILL at random points
// while it queues a change offline (task, project and sprint creates and updates, a task in a
// project created offline) and while `dtm sync` sends the outbox and pulls the change feed. A
// last sync must leave every confirmed change on the server exactly once, nothing twice, the
// outbox empty and the store equal to the server. The test suite runs a sample (DTM_CRASH_RUNS,
// 12 by default); `npm run crash -w @dtm/cli` runs 200. The kill at each named step
// (failpoints) is test/offline/failpoints.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Project, type Sprint, type Task } from '@dtm/sdk';
import type { Kind } from '../../src/lib/store/records.js';
import { type Result, type Sandbox, sandbox } from '../harness.js';
import { outboxRows, storedRecords } from './support/store-files.js';

const runs = Number(process.env.DTM_CRASH_RUNS ?? 12);

let box: Sandbox;
let api: DtmClient;
/** Records created online at the start, changed offline by the runs. */
let edited: { tasks: Task; projects: Project; sprints: Sprint };
/** The project the sprints created offline belong to. */
let home: Project;

beforeAll(async () => {
  box = await sandbox({ tasks: 0 });
  await box.login();
  api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
  home = await api.projects.create({ name: 'crash home' });
  const project = await api.projects.create({ name: 'crash edited' });
  edited = {
    tasks: await api.tasks.create({ title: 'crash edited task' }),
    projects: project,
    sprints: await api.sprints.create({ name: 'crash edited sprint', project_id: home.id, start_date: '2027-01-04', end_date: '2027-01-17' }),
  };
  // Changes are queued only for an API the store has data of.
  expect((await box.run(['sync'])).code).toBe(0);
});
afterAll(async () => {
  await box.stop();
});

/** A kill time: from half-way into a command's usual run time (start-up is the first half) to just past its end. */
function killAfter(usualMs: number): number {
  return Math.round(usualMs * (0.5 + Math.random() * 0.6));
}

async function all<T>(records: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = [];
  for await (const record of records) found.push(record);
  return found;
}

/** One offline change a run may make. */
interface Operation {
  /** What it creates (a unique title or name), or which record's field it sets to a unique value. */
  creates?: { kind: Kind; name: string; project?: string };
  sets?: { kind: Kind; value: string };
  args: string[];
}

const noun: Record<Kind, string> = { tasks: 'task', projects: 'project', sprints: 'sprint' };
const field: Record<Kind, 'title' | 'description' | 'goal'> = { tasks: 'title', projects: 'description', sprints: 'goal' };

describe(`SIGKILL during offline changes of every kind and during sync (${runs} runs)`, () => {
  it('every confirmed change reaches the server exactly once, none twice; the outbox ends empty and the store equals the server', { timeout: 120_000 + runs * 20_000 }, async () => {
    /** Creates: name → confirmed (the command said it was queued). */
    const creates = new Map<string, { kind: Kind; confirmed: boolean; project?: string }>();
    /** Updates of each edited record, in order. */
    const updates: Record<Kind, { value: string; confirmed: boolean }[]> = { tasks: [], projects: [], sprints: [] };
    let killedChanges = 0;
    let killedSyncs = 0;
    let serial = 0;
    const usual = { change: 0, sync: 0 };
    const timed = async (args: string[], killAt?: number): Promise<{ result: Result; ms: number }> => {
      const started = performance.now();
      const result = await box.run(args, killAt === undefined ? {} : { timeoutMs: killAt });
      return { result, ms: performance.now() - started };
    };

    /** A random change; a task may go into a project this run created offline (its temporary id). */
    const pick = (projectsOfRun: string[]): Operation => {
      const name = `crash ${++serial}`;
      const choice = Math.floor(Math.random() * 7);
      switch (choice) {
        case 0:
          return { creates: { kind: 'tasks', name }, args: ['task', 'create', '--title', name] };
        case 1: {
          const project = projectsOfRun.at(-1);
          if (project === undefined) return { creates: { kind: 'projects', name }, args: ['project', 'create', '--name', name] };
          return { creates: { kind: 'tasks', name, project }, args: ['task', 'create', '--title', name, '--project', project] };
        }
        case 2:
          return { creates: { kind: 'projects', name }, args: ['project', 'create', '--name', name] };
        case 3:
          return { creates: { kind: 'sprints', name }, args: ['sprint', 'create', '--name', name, '--project', home.id, '--start', '2027-02-01', '--end', '2027-02-14'] };
        default: {
          const kind = (['tasks', 'projects', 'sprints'] as const)[choice - 4] as Kind;
          const flag = kind === 'tasks' ? '--title' : kind === 'projects' ? '--description' : '--goal';
          return { sets: { kind, value: name }, args: [noun[kind], 'update', edited[kind].id, flag, name] };
        }
      }
    };

    for (let run = 0; run < runs; run++) {
      await box.server.setFaults({ down: true });
      const projectsOfRun: string[] = [];
      for (let index = 0; index < 3; index++) {
        const operation = pick(projectsOfRun);
        // One change of each run is killed somewhere; the others leave a queue for sync to work on.
        const killAt = index === 1 && usual.change > 0 ? killAfter(usual.change) : undefined;
        const { result, ms } = await timed([...operation.args, '--json'], killAt);
        const confirmed = result.code === 3;
        if (confirmed) {
          if (killAt === undefined) usual.change = ms;
        } else if (result.signal === 'SIGKILL') killedChanges++;
        else throw new Error(`dtm ${operation.args.join(' ')} exited ${String(result.code)}: ${result.stdout}${result.stderr}`);
        if (operation.creates !== undefined) {
          const { kind, name, project } = operation.creates;
          creates.set(name, { kind, confirmed, ...(project === undefined ? {} : { project }) });
          if (confirmed && kind === 'projects') projectsOfRun.push((JSON.parse(result.stdout) as Project).id);
        }
        if (operation.sets !== undefined) updates[operation.sets.kind].push({ value: operation.sets.value, confirmed });
      }
      await box.server.setFaults({ down: false });
      // No breaker reset: the sync's first call is the probe of a half-open breaker.
      const { result: synced, ms } = await timed(['sync'], usual.sync > 0 ? killAfter(usual.sync) : undefined);
      if (synced.signal === 'SIGKILL') killedSyncs++;
      else {
        expect([0, 3], synced.stderr).toContain(synced.code);
        usual.sync = Math.max(usual.sync, ms);
      }
    }

    const final = await box.run(['sync', '--json'], { timeoutMs: 60_000 });
    expect(final.code, `${final.stdout}${final.stderr}`).toBe(0);
    expect(JSON.parse(final.stdout)).toMatchObject({ conflicts: [], remaining: 0 });
    expect(outboxRows(box.dataDir, box.url)).toEqual([]);

    const server = {
      tasks: await all(api.tasks.listAll({}, { pageSize: 1000 })),
      projects: await all(api.projects.listAll({}, { pageSize: 1000 })),
      sprints: await all(api.sprints.listAll({}, { pageSize: 1000 })),
    };
    const nameOf = (kind: Kind, record: Task | Project | Sprint): string => (kind === 'tasks' ? (record as Task).title : (record as Project | Sprint).name);

    // Creates: a confirmed one once, an unconfirmed one (killed after or before it was queued) at most once.
    const problems: string[] = [];
    for (const [name, { kind, confirmed, project }] of creates) {
      const found = (server[kind] as (Task | Project | Sprint)[]).filter((record) => nameOf(kind, record) === name);
      if (found.length > 1) problems.push(`${name} (${kind}) is on the server ${found.length} times`);
      if (confirmed && found.length !== 1) problems.push(`${name} (${kind}) was confirmed but is not on the server`);
      const [task] = found as Task[];
      if (project !== undefined && task !== undefined) {
        // Queued with the temporary id of a project created offline: it is in that project, by its server id.
        const owner = server.projects.find((candidate) => candidate.id === task.project_id);
        if (owner === undefined || !creates.has(owner.name)) problems.push(`${name} is in ${String(task.project_id)}, not in a project created offline`);
      }
    }
    const unknown = (['tasks', 'projects', 'sprints'] as const).flatMap((kind) =>
      (server[kind] as (Task | Project | Sprint)[])
        .filter((record) => record.id !== edited[kind].id)
        .map((record) => nameOf(kind, record))
        .filter((name) => /^crash \d+$/.test(name) && !creates.has(name)),
    );
    expect(unknown, 'on the server but never attempted').toEqual([]);

    // Updates: each applied once at most (the version counts them), every confirmed one applied,
    // and the value is that of the last confirmed update or of one made after it.
    for (const kind of ['tasks', 'projects', 'sprints'] as const) {
      type Fields = Record<string, unknown> & { version: number };
      const before = edited[kind] as unknown as Fields;
      const now = (server[kind] as unknown as Fields[]).find((record) => record.id === edited[kind].id) as Fields;
      const list = updates[kind];
      const applied = now.version - before.version;
      const confirmedCount = list.filter((update) => update.confirmed).length;
      if (applied < confirmedCount || applied > list.length) problems.push(`${kind}: ${applied} updates applied, ${confirmedCount} confirmed of ${list.length}`);
      const lastConfirmed = list.map((update) => update.confirmed).lastIndexOf(true);
      const allowed = list.slice(Math.max(lastConfirmed, 0)).map((update) => update.value);
      if (lastConfirmed === -1) allowed.push(before[field[kind]] as string);
      if (!allowed.includes(now[field[kind]] as string)) problems.push(`${kind}: ${field[kind]} is ${String(now[field[kind]])}, not one of ${allowed.join(', ')}`);
    }
    expect(problems).toEqual([]);

    // The store equals the server: every record, at its version (no temporary ids left).
    for (const kind of ['tasks', 'projects', 'sprints'] as const) {
      const versions = (records: { id: string; version: number }[]): string[] => records.map((record) => `${record.id}@${record.version}`).sort();
      expect(versions(storedRecords(box.dataDir, box.url, kind)), kind).toEqual(versions(server[kind]));
    }
    // The kills must really have happened, or the test proves nothing.
    expect(killedChanges + killedSyncs).toBeGreaterThan(0);
    const confirmed = [...creates.values()].filter((create) => create.confirmed).length;
    console.log(
      `crash runs: ${runs}; changes killed ${killedChanges}, syncs killed ${killedSyncs}; ` +
        `${creates.size} creates (${confirmed} confirmed), ${Object.values(updates).flat().length} updates; none lost, none twice`,
    );
  });
});
