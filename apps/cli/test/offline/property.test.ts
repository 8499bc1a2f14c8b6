// A property of sync, tested with fast-check: two `dtm` users, A and B, each with a data dir (a
// local store) of its own, against one stateful mock server; random interleavings of
//   - task creates and updates (status, priority or title) from A or B, online or --offline,
//   - updates made on the server meanwhile (through the SDK), and
//   - `dtm sync` from A or B,
// then A and B sync twice each (the second round changes nothing).
//
// The invariant, checked against an explicit model after every step and at the end:
//   1. Every confirmed change (exit 0, or exit 3 with the record in the JSON) is applied exactly
//      once, or is listed as a conflict: each created task is on the server exactly once (found
//      by its description, a key that no update changes; titles are unique too), and every
//      task's fields and version are the model's — each applied update moved the version by
//      exactly one (an update that changes nothing leaves it, as the server does).
//   2. A queued update conflicts exactly when the task was changed on the server by someone
//      else (the SDK, or the other user) since the version the user's change was based on,
//      unless the server already shows what the change asks for. A conflict never overwrites
//      the server's change (the model keeps the server's values, and the server must too); a
//      later queued change of the same task in the same sync conflicts as well. Every conflict
//      is listed by `dtm sync --conflicts --json`; nothing else is.
//   3. After the final syncs both stores equal the server (`dtm task list --all --offline
//      --json` against the SDK's list), records with an open conflict aside.
// "Based on": the version of the task the user's store last had from the server (a pull, an
// online answer, a settled or conflicting change); the user's own queued changes of the task
// since then do not make a later one stale.
//
// DTM_PROPERTY_RUNS (default 12, the hand-picked examples below included), DTM_PROPERTY_SEED (the
// seed fast-check prints replays a failure) and DTM_PROPERTY_TIME_LIMIT_MS (default 120 s) tune it.
import type { DtmClient, Task } from '@dtm/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../harness.js';
import { type Client, type SyncReport, apiClient, newClient, runJson, sync } from './support/stores.js';

type Who = 'A' | 'B';
type Writer = Who | 'server';
type Field = 'status' | 'priority' | 'title';
interface Fields {
  title: string;
  status: Task['status'];
  priority: Task['priority'];
}
type Body = Partial<Fields>;

/** Small domains on purpose: equal values (no-op updates, changes the server already shows) are common. */
const statuses: Task['status'][] = ['pending', 'in_progress', 'blocked', 'completed'];
const priorities: Task['priority'][] = ['low', 'medium', 'high'];

type Action =
  | { do: 'create'; who: Who; offline: boolean }
  /** `pick` chooses among the tasks `who` can name; `value` indexes the field's domain (a title is always new). */
  | { do: 'update'; who: Who; offline: boolean; pick: number; field: Field; value: number }
  | { do: 'server'; pick: number; field: Field; value: number }
  | { do: 'sync'; who: Who };

const who = fc.constantFrom<Who>('A', 'B');
/** Titles are always new values, statuses and priorities often the same again. */
const field = fc.oneof({ weight: 2, arbitrary: fc.constant<Field>('status') }, { weight: 2, arbitrary: fc.constant<Field>('priority') }, { weight: 1, arbitrary: fc.constant<Field>('title') });
/** Mostly the first tasks: changes of the same task from several sides are what conflicts are made of. */
const pick = fc.nat(3);
/** Mostly offline: queued changes are what sync is about. */
const offline = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const value = fc.nat(3);
const actionArb: fc.Arbitrary<Action[]> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ do: fc.constant('create' as const), who, offline }).map((action) => [action]) },
  { weight: 4, arbitrary: fc.record({ do: fc.constant('update' as const), who, offline, pick, field, value }).map((action) => [action]) },
  // Several offline edits of one task by one user in a row: they are sent together, each based on the one before.
  {
    weight: 2,
    arbitrary: fc
      .record({ who, pick, edits: fc.array(fc.record({ field, value }), { minLength: 2, maxLength: 3 }) })
      .map(({ who: name, pick: target, edits }) => edits.map((edit) => ({ do: 'update' as const, who: name, offline: true, pick: target, ...edit }))),
  },
  { weight: 3, arbitrary: fc.record({ do: fc.constant('server' as const), pick, field, value }).map((action) => [action]) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('sync' as const), who }).map((action) => [action]) },
);
/** 3 to 8 of the above, one after the other. */
const actionsArb: fc.Arbitrary<Action[]> = fc.array(actionArb, { minLength: 3, maxLength: 8 }).map((groups) => groups.flat());

// ---------------------------------------------------------------------------------------------
// The model: the server's tasks (as far as this run made them), and each user's outbox, what
// its store knows, and its open conflicts.

interface ModelTask {
  /** The task's description, given at creation and never changed: finds it on the server. */
  key: string;
  creator: Writer;
  /** The TASK-L… id it got when created offline. */
  temporary?: string;
  /** Its id on the server, once it is there and the test has looked it up. */
  id?: string;
  /** On the server (undefined while its create is queued). */
  fields?: Fields;
  version: number;
  /** Who made each version (the version after the change). */
  versions: { version: number; by: Writer }[];
}

type Queued = { op: 'create'; key: string } | { op: 'update'; key: string; body: Body; basedOn: number };

interface User {
  who: Who;
  client: Client;
  queue: Queued[];
  /** Per task: the version the store last had from the server. */
  seen: Map<string, number>;
  /** The tasks the store holds (an offline change of another one is refused). */
  known: Set<string>;
  conflicts: { key: string; body: Body }[];
}

interface Stats {
  runs: number;
  steps: number;
  queued: number;
  conflicts: number;
}
const stats: Stats = { runs: 0, steps: 0, queued: 0, conflicts: 0 };

const same = (fields: Fields, body: Body): boolean => Object.entries(body).every(([name, value]) => fields[name as Field] === value);

class World {
  readonly tasks: ModelTask[] = [];
  readonly users: Record<Who, User>;
  readonly trace: string[] = [];
  #titles = 0;

  constructor(
    readonly run: string,
    readonly api: DtmClient,
    a: Client,
    b: Client,
  ) {
    const user = (name: Who, client: Client): User => ({ who: name, client, queue: [], seen: new Map(), known: new Set(), conflicts: [] });
    this.users = { A: user('A', a), B: user('B', b) };
  }

  newKey(): string {
    return `${this.run}-k${this.tasks.length}`;
  }

  newTitle(): string {
    return `${this.run}-title${++this.#titles}`;
  }

  byKey(key: string): ModelTask {
    const task = this.tasks.find((candidate) => candidate.key === key);
    if (task === undefined) throw new Error(`no task ${key} in the model`);
    return task;
  }

  /** The tasks `name` can refer to: those on the server, and its own created offline. */
  nameable(name: Who): ModelTask[] {
    return this.tasks.filter((task) => task.id !== undefined || (task.temporary !== undefined && task.creator === name));
  }

  /** The server applies a change as it would: nothing changes, nor the version, when the values are already there. */
  apply(task: ModelTask, body: Body, by: Writer): void {
    if (task.fields === undefined) throw new Error(`${task.key} is not on the server`);
    if (same(task.fields, body)) return;
    task.fields = { ...task.fields, ...body };
    task.version++;
    task.versions.push({ version: task.version, by });
  }

  created(key: string, by: Writer): void {
    const task = this.byKey(key);
    task.fields = { title: key, status: 'pending', priority: 'medium' };
    task.version = 1;
    task.versions = [{ version: 1, by }];
  }

  /** What `dtm` sending `user`'s outbox must do (before any online command, and in `dtm sync`); answers how many were applied. */
  push(user: User): number {
    let applied = 0;
    const blocked = new Set<string>();
    for (const queued of user.queue) {
      const task = this.byKey(queued.key);
      if (queued.op === 'create') {
        this.created(queued.key, user.who);
        user.seen.set(queued.key, 1);
        applied++;
        continue;
      }
      if (blocked.has(queued.key)) {
        user.conflicts.push({ key: queued.key, body: queued.body });
        continue;
      }
      const fields = task.fields as Fields;
      const stale = task.versions.some(({ version, by }) => version > queued.basedOn && by !== user.who);
      if (!stale) {
        this.apply(task, queued.body, user.who);
        applied++;
      } else if (same(fields, queued.body)) {
        applied++;
      } else {
        user.conflicts.push({ key: queued.key, body: queued.body });
        blocked.add(queued.key);
      }
      user.seen.set(queued.key, task.version);
    }
    stats.conflicts += user.queue.length - applied;
    user.queue = [];
    return applied;
  }

  /** After `dtm sync`: the store has every task of the server, at its version. */
  pulled(user: User): void {
    for (const task of this.tasks) {
      if (task.fields === undefined) continue;
      user.seen.set(task.key, task.version);
      user.known.add(task.key);
    }
  }

  /** The server's tasks of this run, by key. */
  async serverTasks(): Promise<Map<string, Task[]>> {
    const found = new Map<string, Task[]>();
    for await (const task of this.api.tasks.listAll({ q: this.run }, { pageSize: 1000 })) {
      if (task.description === null) continue;
      found.set(task.description, [...(found.get(task.description) ?? []), task]);
    }
    return found;
  }

  /** The server holds exactly the model's tasks: each once, with the model's fields and version. */
  async check(): Promise<void> {
    const onServer = await this.serverTasks();
    for (const task of this.tasks) {
      const copies = onServer.get(task.key) ?? [];
      if (task.fields === undefined) {
        expect(copies, `${task.key}: its create is still queued`).toEqual([]);
        continue;
      }
      expect(copies.length, `${task.key}: on the server exactly once`).toBe(1);
      const [copy] = copies as [Task];
      task.id ??= copy.id;
      expect({ id: copy.id, title: copy.title, status: copy.status, priority: copy.priority, version: copy.version }, `${task.key} on the server`).toEqual({
        id: task.id,
        ...task.fields,
        version: task.version,
      });
    }
    expect([...onServer.keys()].filter((key) => !this.tasks.some((task) => task.key === key))).toEqual([]);
  }

  /** The open conflicts `dtm` lists, as the model names them. */
  listed(conflicts: SyncReport['conflicts']): string[] {
    return conflicts.map((conflict) => {
      const task = this.tasks.find((candidate) => candidate.id === conflict.record_id || candidate.temporary === conflict.record_id);
      return JSON.stringify({ key: task?.key ?? conflict.record_id, body: conflict.entry.body });
    });
  }

  expected(user: User): string[] {
    return user.conflicts.map((conflict) => JSON.stringify(conflict));
  }
}

// ---------------------------------------------------------------------------------------------
// One step: run it, with what the model expects of it.

async function step(world: World, action: Action): Promise<void> {
  stats.steps++;
  if (action.do === 'server') {
    const targets = world.tasks.filter((task) => task.id !== undefined);
    const task = targets[action.pick % targets.length];
    if (task === undefined) return;
    const body = bodyOf(world, action.field, action.value);
    world.trace.push(`server: update ${task.key} ${JSON.stringify(body)}`);
    const answer = await world.api.tasks.update(task.id as string, body);
    world.apply(task, body, 'server');
    expect(answer.version).toBe(task.version);
    return;
  }

  const user = world.users[action.who];
  if (action.do === 'sync') {
    const applied = world.push(user);
    world.pulled(user);
    const { code, report } = await traced(world, user, ['sync'], () => sync(user.client, [0, 3]));
    expect(world.listed(report.conflicts).sort(), `${user.who}'s open conflicts after dtm sync`).toEqual(world.expected(user).sort());
    expect(report, `${user.who}'s dtm sync`).toMatchObject({ applied, remaining: 0 });
    expect(code, 'exit 3 while conflicts are open').toBe(user.conflicts.length > 0 ? 3 : 0);
    return;
  }

  if (action.do === 'create') {
    const key = world.newKey();
    world.tasks.push({ key, creator: action.who, version: 0, versions: [] });
    const args = ['task', 'create', '--title', key, '--description', key, ...(action.offline ? ['--offline'] : [])];
    if (!action.offline) world.push(user);
    const { value } = await traced(world, user, args, () => runJson(user.client, args, [action.offline ? 3 : 0]));
    const task = value as Task;
    expect(task).toMatchObject({ title: key, description: key, version: 1 });
    user.known.add(key);
    if (action.offline) {
      expect(task.id).toMatch(/^TASK-L[0-9a-f]{8}$/);
      world.byKey(key).temporary = task.id;
      user.queue.push({ op: 'create', key });
      stats.queued++;
    } else {
      world.created(key, action.who);
      world.byKey(key).id = task.id;
      user.seen.set(key, 1);
    }
    return;
  }

  const targets = world.nameable(action.who);
  const task = targets[action.pick % targets.length];
  if (task === undefined) return;
  const body = bodyOf(world, action.field, action.value);
  const [name, value] = Object.entries(body)[0] as [string, string];
  const ref = task.id ?? task.temporary ?? '';
  const args = ['task', 'update', ref, `--${name}`, value, ...(action.offline ? ['--offline'] : [])];
  if (action.offline) {
    if (!user.known.has(task.key)) {
      // Not in this store (created by the other user since this one last synced): refused, nothing queued.
      const { value: refused } = await traced(world, user, args, () => runJson(user.client, args, [1]));
      expect(refused).toMatchObject({ error: { code: 'not_found' } });
      return;
    }
    const { value: queued } = await traced(world, user, args, () => runJson(user.client, args, [3]));
    expect(queued).toMatchObject({ ...body, source: 'local' });
    user.queue.push({ op: 'update', key: task.key, body, basedOn: user.seen.get(task.key) ?? 1 });
    stats.queued++;
    return;
  }
  // Online: the outbox goes first, then the change itself (no If-Match: the user asked for it now).
  world.push(user);
  const { value: updated } = await traced(world, user, args, () => runJson(user.client, args, [0]));
  world.apply(task, body, action.who);
  expect(updated).toMatchObject({ ...body, version: task.version });
  user.seen.set(task.key, task.version);
  user.known.add(task.key);
}

function bodyOf(world: World, name: Field, value: number): Body {
  if (name === 'title') return { title: world.newTitle() };
  if (name === 'status') return { status: statuses[value % statuses.length] };
  return { priority: priorities[value % priorities.length] };
}

/** Runs a `dtm` step, keeping a line of it for the failure report. */
async function traced<T>(world: World, user: User, args: readonly string[], work: () => Promise<T>): Promise<T> {
  world.trace.push(`${user.who}: dtm ${args.join(' ')}`);
  try {
    return await work();
  } catch (error) {
    throw new Error(`${user.who}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------

let box: Sandbox;
let api: DtmClient;
let runs = 0;
/** Data dirs of runs not finished yet (a run cut short by the time limit never reaches its finally). */
const open = new Set<Client>();

beforeAll(async () => {
  box = await sandbox({ tasks: 0 });
  await box.login();
  api = await apiClient(box);
});
afterAll(async () => {
  await box.stop();
  await Promise.all([...open].map((client) => client.dispose()));
});

/** One run: a fresh pair of stores and two fresh tasks on the shared server, the actions, the final syncs and checks. */
async function runActions(actions: Action[]): Promise<void> {
  // Ends with a letter: no run's key is a prefix of another's (they are searched for with `q`).
  const run = `prop${process.pid}r${++runs}z`;
  const [a, b] = await Promise.all([newClient(box, 'A'), newClient(box, 'B')]);
  open.add(a).add(b);
  const world = new World(run, api, a, b);
  stats.runs++;
  try {
    for (let index = 0; index < 2; index++) {
      const key = world.newKey();
      world.tasks.push({ key, creator: 'server', version: 0, versions: [] });
      const task = await api.tasks.create({ title: key, description: key });
      world.created(key, 'server');
      world.byKey(key).id = task.id;
    }
    await Promise.all(
      Object.values(world.users).map(async (user) => {
        world.pulled(user);
        await sync(user.client);
      }),
    );

    for (const action of actions) {
      await step(world, action);
      await world.check();
    }

    // Both sync, twice each: the first round sends every queue, the second changes nothing.
    for (let round = 1; round <= 2; round++) {
      for (const name of ['A', 'B'] as const) await step(world, { do: 'sync', who: name });
      await world.check();
    }

    const final = await world.serverTasks();
    const serverList = [...final.values()].flat().sort(byId);
    await Promise.all(
      Object.values(world.users).map(async (user) => {
        const [listed, stored] = await Promise.all([
          runJson(user.client, ['sync', '--conflicts'], user.conflicts.length > 0 ? [3] : [0]),
          runJson(user.client, ['task', 'list', '--all', '--offline', '--search', run], [3]),
        ]);
        // Every conflict is listed, and nothing else.
        expect(world.listed(listed.value as SyncReport['conflicts']).sort(), `${user.who}'s conflicts`).toEqual(world.expected(user).sort());
        // The store equals the server, records still in conflict aside.
        const inConflict = new Set(user.conflicts.map((conflict) => world.byKey(conflict.key).id));
        const local = stored.value as Task[];
        expect(local.map((task) => task.id).sort(), `${user.who}'s store holds the server's tasks`).toEqual(serverList.map((task) => task.id));
        expect(local.filter((task) => !inConflict.has(task.id)).sort(byId), `${user.who}'s store`).toEqual(serverList.filter((task) => !inConflict.has(task.id)));
      }),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n\nsteps of run ${run}:\n  ${world.trace.join('\n  ')}`, { cause: error });
  } finally {
    open.delete(a);
    open.delete(b);
    await Promise.all([a.dispose(), b.dispose()]);
  }
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Hand-picked interleavings, run first on every run of the test. */
const examples: Action[][] = [
  // An offline edit, then a server change of the same field: a conflict, and the server's value stays.
  [
    { do: 'update', who: 'A', offline: true, pick: 0, field: 'priority', value: 2 },
    { do: 'server', pick: 0, field: 'priority', value: 0 },
    { do: 'sync', who: 'A' },
  ],
  // Both users edit the same task offline: the first to sync wins, the second gets a conflict.
  [
    { do: 'update', who: 'A', offline: true, pick: 1, field: 'status', value: 2 },
    { do: 'update', who: 'B', offline: true, pick: 1, field: 'status', value: 3 },
    { do: 'sync', who: 'A' },
    { do: 'sync', who: 'B' },
  ],
  // Created offline, edited offline under its temporary id, edited online by the other user after a sync.
  [
    { do: 'create', who: 'B', offline: true },
    { do: 'update', who: 'B', offline: true, pick: 2, field: 'title', value: 0 },
    { do: 'sync', who: 'B' },
    { do: 'update', who: 'A', offline: false, pick: 2, field: 'priority', value: 0 },
  ],
  // Two offline edits of one task, the first changing nothing: the second is no conflict.
  [
    { do: 'update', who: 'A', offline: true, pick: 0, field: 'status', value: 0 },
    { do: 'update', who: 'A', offline: true, pick: 0, field: 'priority', value: 2 },
    { do: 'sync', who: 'A' },
  ],
  // Two offline edits of one field; the server meanwhile sets what the first one did: the second must not overwrite it silently.
  [
    { do: 'update', who: 'A', offline: true, pick: 0, field: 'priority', value: 0 },
    { do: 'update', who: 'A', offline: true, pick: 0, field: 'priority', value: 2 },
    { do: 'server', pick: 0, field: 'priority', value: 0 },
    { do: 'sync', who: 'A' },
  ],
];

const numRuns = Number(process.env.DTM_PROPERTY_RUNS ?? 12);
const seed = process.env.DTM_PROPERTY_SEED === undefined ? undefined : Number(process.env.DTM_PROPERTY_SEED);
/**
 * Every run spawns `dtm` about fifteen times: fast-check stops after this long, with the runs
 * done so far (a pass) or with the smallest counterexample shrunk to so far (a failure).
 */
const timeLimitMs = Number(process.env.DTM_PROPERTY_TIME_LIMIT_MS ?? 120_000);

it(`sync: every confirmed change applied once or listed as a conflict, and both stores equal the server (${numRuns} runs)`, { timeout: timeLimitMs + 60_000 }, async () => {
  await fc.assert(fc.asyncProperty(actionsArb, runActions), {
    numRuns,
    examples: examples.map((actions) => [actions] as [Action[]]),
    ...(seed === undefined ? {} : { seed }),
    plugins: [fc.interruptAfterTimeLimit(timeLimitMs)],
  });
  console.log(`property: ${stats.runs} runs, ${stats.steps} steps, ${stats.queued} changes queued offline, ${stats.conflicts} of them conflicts`);
});
