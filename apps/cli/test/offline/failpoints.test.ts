// Failpoints at every step of an offline change's life: `dtm` SIGKILLs itself (DTM_TEST_CRASH_AT)
//   queue:committed  the change is queued and applied to the store (one transaction), not yet reported;
//   sync:sent        the server answered the change, the outbox does not know yet;
//   sync:settled     the outbox knows, `dtm sync` has not finished;
//   pull:page        a page of the change feed (and the cursor after it) is committed, the pull goes on.
// After each kill a normal `dtm sync` must leave: nothing lost, nothing twice (every created record
// once on the server, found by its unique title), every update applied once (version + 1 exactly),
// the outbox empty, and the store equal to the server (every record of every kind).
// Each test first shows that the kill really happened where it was asked for: the process ended
// by SIGKILL (no exit code, nothing printed) and the store/server show the state of that point.
import type { DtmClient, Project, Sprint, Task } from '@dtm/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Result, type Sandbox, sandbox } from '../harness.js';
import {
  type Client,
  type Records,
  apiClient,
  crashAt,
  describeRun,
  localList,
  newClient,
  noDrift,
  runJson,
  serverRecords,
  sync,
  syncStatus,
  syncStatusWithDrift,
} from './support/stores.js';

/** Several `dtm` runs per test on a busy 2-core machine. */
const timeout = 90_000;

let serial = 0;
/** A title (or name) no other test uses. */
const unique = (what: string): string => `fp ${what} ${process.pid}-${++serial}`;

function expectKilled(args: readonly string[], result: Result): void {
  expect(result.signal, describeRun(args, result)).toBe('SIGKILL');
  expect(result.code).toBeNull();
  // Killed before it said anything: the change was never reported to the user.
  expect(result.stdout).toBe('');
}

async function tasksTitled(api: DtmClient, title: string): Promise<Task[]> {
  return (await api.tasks.list({ q: title, limit: 100 })).items.filter((task) => task.title === title);
}

async function projectsNamed(api: DtmClient, name: string): Promise<Project[]> {
  return (await api.projects.list({ q: name, limit: 100 })).items.filter((project) => project.name === name);
}

/** One offline change of each kind: how to set it up, queue it, and see that it took effect exactly once. */
interface Case {
  name: string;
  kind: keyof Records;
  action: string;
  /** Server-side set-up (before the client's first sync); answers what `args` and `check` need. */
  prepare(api: DtmClient): Promise<Prepared>;
  /** The `dtm` command that queues the change (with --offline). */
  args(prepared: Prepared): string[];
  /** The change is in these records exactly once (the server's, or a store's). */
  check(records: Records, prepared: Prepared): void;
  /** The server has it exactly once, found by searching for it. */
  checkServer(api: DtmClient, prepared: Prepared): Promise<void>;
}

interface Prepared {
  title: string;
  task?: Task;
  sprint?: Sprint;
}

const cases: Case[] = [
  {
    name: 'task create',
    kind: 'tasks',
    action: 'create',
    prepare: () => Promise.resolve({ title: unique('created task') }),
    args: ({ title }) => ['task', 'create', '--offline', '--title', title, '--priority', 'high'],
    check: (records, { title }) => {
      expect(records.tasks.filter((task) => task.title === title).map((task) => [task.priority, task.version])).toEqual([['high', 1]]);
    },
    checkServer: async (api, { title }) => {
      expect((await tasksTitled(api, title)).length, `tasks titled ${title}`).toBe(1);
    },
  },
  {
    name: 'task update',
    kind: 'tasks',
    action: 'update',
    prepare: async (api) => ({ title: unique('updated task'), task: await api.tasks.create({ title: unique('task to update') }) }),
    args: ({ title, task }) => ['task', 'update', task?.id ?? '', '--offline', '--title', title, '--priority', 'critical'],
    check: (records, { title, task }) => {
      const updated = records.tasks.find((record) => record.id === task?.id);
      expect(updated).toMatchObject({ title, priority: 'critical', version: (task?.version ?? 0) + 1 });
      expect(records.tasks.filter((record) => record.title === title)).toHaveLength(1);
    },
    checkServer: async (api, { title, task }) => {
      expect((await tasksTitled(api, title)).map((found) => [found.id, found.version])).toEqual([[task?.id, (task?.version ?? 0) + 1]]);
    },
  },
  {
    name: 'project create',
    kind: 'projects',
    action: 'create',
    prepare: () => Promise.resolve({ title: unique('project') }),
    args: ({ title }) => ['project', 'create', '--offline', '--name', title],
    check: (records, { title }) => {
      expect(records.projects.filter((project) => project.name === title).map((project) => project.version)).toEqual([1]);
    },
    checkServer: async (api, { title }) => {
      expect((await projectsNamed(api, title)).length, `projects named ${title}`).toBe(1);
    },
  },
  {
    name: 'sprint start',
    kind: 'sprints',
    action: 'start',
    // A project of its own: a project has at most one active sprint.
    prepare: async (api) => {
      const title = unique('sprint');
      const project = await api.projects.create({ name: `${title} project` });
      return { title, sprint: await api.sprints.create({ name: title, project_id: project.id, start_date: '2026-01-05', end_date: '2026-01-16' }) };
    },
    args: ({ sprint }) => ['sprint', 'start', sprint?.id ?? '', '--offline'],
    check: (records, { sprint }) => {
      expect(records.sprints.find((record) => record.id === sprint?.id)).toMatchObject({ status: 'active', version: (sprint?.version ?? 0) + 1 });
    },
    checkServer: async (api, { sprint }) => {
      expect(await api.sprints.get(sprint?.id ?? '')).toMatchObject({ status: 'active', version: (sprint?.version ?? 0) + 1 });
    },
  },
];

let box: Sandbox;
let api: DtmClient;
const clients: Client[] = [];

beforeAll(async () => {
  box = await sandbox({ tasks: 0 });
  await box.login();
  api = await apiClient(box);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
afterAll(async () => {
  await box.stop();
});

/** A client with a store of its own, synced with the server once. */
async function syncedClient(): Promise<Client> {
  const client = await newClient(box, 'fp');
  clients.push(client);
  await sync(client);
  return client;
}

async function queue(client: Client, args: readonly string[]): Promise<void> {
  const result = await client.run(args);
  expect(result.code, describeRun(args, result)).toBe(3);
}

async function killedAt(client: Client, point: string, args: readonly string[]): Promise<void> {
  expectKilled(args, await client.run(args, crashAt(point)));
}

/**
 * A normal `dtm sync`, then: nothing left queued, no conflict, and the store holds exactly what
 * the server holds — every kind compared by `status sync --check-csv-drift`, and the kinds the
 * test changed also listed from the store (`--offline`) and compared record by record.
 */
async function syncAndCompare(client: Client, kinds: readonly (keyof Records)[]): Promise<{ applied: number; server: Records }> {
  const { report } = await sync(client);
  expect(report).toMatchObject({ conflicts: [], remaining: 0 });
  const [status, server, ...local] = await Promise.all([syncStatusWithDrift(client), serverRecords(api), ...kinds.map((kind) => localList(client, kind))]);
  expect(status).toMatchObject({ pending: 0, conflicts: 0, drift: noDrift });
  for (const [index, kind] of kinds.entries()) expect(local[index], `${kind} in the store`).toEqual(server[kind]);
  return { applied: report.applied, server };
}

describe('a kill right after a change was queued (queue:committed)', () => {
  it.each(cases)('$name: queued and applied locally in one step, sent exactly once by the next sync', { timeout }, async (change) => {
    const prepared = await change.prepare(api);
    const client = await syncedClient();
    await killedAt(client, 'queue:committed', change.args(prepared));

    // Unreported, but queued and applied to the store together: the change is not lost.
    const [status, local] = await Promise.all([syncStatus(client), localList(client, change.kind)]);
    expect(status.pending_changes.map(({ kind, action }) => ({ kind, action }))).toEqual([{ kind: change.kind, action: change.action }]);
    change.check({ tasks: [], projects: [], sprints: [], [change.kind]: local }, prepared);

    const { applied, server } = await syncAndCompare(client, [change.kind]);
    expect(applied).toBe(1);
    change.check(server, prepared);
    await change.checkServer(api, prepared);
  });
});

describe('a kill after the server took a change, before the outbox knew (sync:sent)', () => {
  it.each(cases)('$name: the next sync sends it again and the server applies it once', { timeout }, async (change) => {
    const prepared = await change.prepare(api);
    const client = await syncedClient();
    await queue(client, change.args(prepared));
    await killedAt(client, 'sync:sent', ['sync']);

    // The kill fell between the two: the server has the change, the outbox still holds it.
    change.check(await serverRecords(api), prepared);
    expect((await syncStatus(client)).pending).toBe(1);

    const { server } = await syncAndCompare(client, [change.kind]);
    change.check(server, prepared);
    await change.checkServer(api, prepared);
  });
});

describe('a kill after a change was settled (sync:settled)', () => {
  it('each kill settles one more change; none is sent again', { timeout }, async () => {
    const prepared = await Promise.all(cases.map((change) => change.prepare(api)));
    const client = await syncedClient();
    for (const [index, change] of cases.entries()) await queue(client, change.args(prepared[index] as Prepared));

    for (let settled = 1; settled <= cases.length; settled++) {
      await killedAt(client, 'sync:settled', ['sync']);
      // One change further each time: settled changes leave the outbox with their kill.
      expect((await syncStatus(client)).pending).toBe(cases.length - settled);
      const server = await serverRecords(api);
      for (const [index, change] of cases.slice(0, settled).entries()) change.check(server, prepared[index] as Prepared);
    }

    const { applied, server } = await syncAndCompare(client, ['tasks', 'projects', 'sprints']);
    expect(applied, 'changes sent again after they were settled').toBe(0);
    for (const [index, change] of cases.entries()) {
      change.check(server, prepared[index] as Prepared);
      await change.checkServer(api, prepared[index] as Prepared);
    }
  });
});

describe('a kill after a page of the change feed was committed (pull:page)', () => {
  it('changes pushed before the pull are not sent again, and the next sync finds the store current', { timeout }, async () => {
    const edited = await api.tasks.create({ title: unique('edited on the server') });
    const client = await syncedClient();
    const title = unique('pushed before the pull');
    await queue(client, ['task', 'create', '--offline', '--title', title]);
    const onServer = await api.tasks.update(edited.id, { status: 'blocked' });

    await killedAt(client, 'pull:page', ['sync']);
    // Pushed and settled before the pull started; the server's change is in the committed page.
    expect((await syncStatus(client)).pending).toBe(0);
    expect(await tasksTitled(api, title)).toHaveLength(1);
    expect((await localList(client, 'tasks')).find((task) => task.id === edited.id)).toEqual(onServer);

    const { applied } = await syncAndCompare(client, ['tasks']);
    expect(applied).toBe(0);
    expect(await tasksTitled(api, title)).toHaveLength(1);
  });

  describe('a first pull of more than one page', () => {
    // The feed is read 1000 changes a page: 1500 tasks (plus the demo projects and sprints) make two.
    let big: Sandbox;
    let bigApi: DtmClient;
    beforeAll(async () => {
      big = await sandbox({ tasks: 1500 });
      await big.login();
      bigApi = await apiClient(big);
    });
    afterAll(async () => {
      await big.stop();
    });

    it('killed after its first page, it resumes from the cursor: records changed, created and deleted meanwhile come right', { timeout }, async () => {
      const client = await newClient(big, 'fp-pull');
      clients.push(client);
      await killedAt(client, 'pull:page', ['sync']);

      // Only the first page is in the store.
      const status = await syncStatus(client);
      expect((status.records.tasks ?? 0) + (status.records.projects ?? 0) + (status.records.sprints ?? 0)).toBe(1000);
      const { value: firstTwo } = await runJson(client, ['task', 'list', '--offline', '--limit', '2'], [3]);
      const [kept, dropped] = (firstTwo as { items: Task[] }).items;
      if (kept === undefined || dropped === undefined) throw new Error('the first page held fewer than two tasks');

      // Meanwhile on the server: one task of the first page changes, one is deleted, one is new.
      await bigApi.tasks.update(kept.id, { priority: kept.priority === 'low' ? 'high' : 'low' });
      await bigApi.tasks.delete(dropped.id);
      const created = await bigApi.tasks.create({ title: unique('created after the kill') });

      const { report } = await sync(client);
      expect(report).toMatchObject({ applied: 0, conflicts: [], remaining: 0 });
      // 1,500 tasks are more than `dtm task list --all --offline --json` prints whole through a
      // pipe today (its output is cut at exit code 3), so the store is compared by --check-csv-drift.
      const [after, server] = await Promise.all([syncStatusWithDrift(client), serverRecords(bigApi)]);
      expect(server.tasks).toHaveLength(1500);
      expect(after).toMatchObject({ pending: 0, conflicts: 0, drift: noDrift });
      expect(after.records).toEqual({ tasks: server.tasks.length, projects: server.projects.length, sprints: server.sprints.length });
      const { value: shown } = await runJson(client, ['task', 'list', '--offline', '--search', created.title], [3]);
      expect((shown as { items: Task[] }).items.map((task) => task.id)).toEqual([created.id]);
    });
  });
});
