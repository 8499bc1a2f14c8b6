// Crash safety of the outbox: `dtm` is killed with SIGKILL at random points while it queues a
// change offline and while `dtm sync` sends the outbox; a last sync must leave every change
// on the server exactly once and the outbox empty. The test suite runs a sample
// (DTM_CRASH_RUNS, 12 by default); `npm run crash -w @dtm/cli` runs 200.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Task } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../harness.js';

const runs = Number(process.env.DTM_CRASH_RUNS ?? 12);

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 0 });
  await box.login();
  // Changes are queued only for an API the CLI has a local copy of.
  expect((await box.run(['task', 'list', '--all'])).code).toBe(0);
});
afterAll(async () => {
  await box.stop();
});

/** A kill time: from half-way into a command's usual run time (start-up is the first half) to just past its end. */
function killAfter(usualMs: number): number {
  return Math.round(usualMs * (0.5 + Math.random() * 0.6));
}

async function allTasks(api: DtmClient): Promise<Task[]> {
  const tasks: Task[] = [];
  for await (const task of api.tasks.listAll({}, { pageSize: 1000 })) tasks.push(task);
  return tasks;
}

describe(`SIGKILL during outbox append and replay (${runs} runs)`, () => {
  it('every confirmed change reaches the server exactly once, none twice, and the outbox ends empty', { timeout: 60_000 + runs * 15_000 }, async () => {
    const confirmed = new Set<string>();
    const attempted: string[] = [];
    let killedAppends = 0;
    let killedSyncs = 0;
    // How long each command usually takes here, from its last run that was not killed.
    const usual = { create: 0, sync: 0 };
    const timed = async (args: string[], killAt?: number) => {
      const started = performance.now();
      const result = await box.run(args, killAt === undefined ? {} : { timeoutMs: killAt });
      return { result, ms: performance.now() - started };
    };
    for (let run = 0; run < runs; run++) {
      await box.server.setFaults({ down: true });
      for (const [index, title] of [`crash ${run} a`, `crash ${run} b`, `crash ${run} c`].entries()) {
        attempted.push(title);
        // One change of each run is killed somewhere; the others leave a queue for sync to work on.
        const { result, ms } = await timed(['task', 'create', '--title', title], index === 1 && usual.create > 0 ? killAfter(usual.create) : undefined);
        if (result.code === 3) {
          confirmed.add(title);
          if (index !== 1) usual.create = ms;
        } else if (result.signal === 'SIGKILL') killedAppends++;
        else throw new Error(`task create exited ${String(result.code)}: ${result.stderr}`);
      }
      await box.server.setFaults({ down: false });
      await rm(join(box.dataDir, 'breaker.json'), { force: true });
      const { result: sync, ms } = await timed(['sync'], usual.sync > 0 ? killAfter(usual.sync) : undefined);
      if (sync.signal === 'SIGKILL') killedSyncs++;
      else {
        expect([0, 3], sync.stderr).toContain(sync.code);
        usual.sync = Math.max(usual.sync, ms);
      }
    }

    const final = await box.run(['sync', '--json'], { timeoutMs: 60_000 });
    expect(final.code, final.stderr).toBe(0);
    expect(JSON.parse(final.stdout)).toMatchObject({ conflicts: [], remaining: 0 });
    expect(existsSync(join(box.dataDir, 'outbox.ndjson'))).toBe(false);

    const api = new DtmClient({ baseUrl: box.url, retries: 0 });
    await api.auth.login({ username: box.username, password: box.password });
    const counts = new Map<string, number>();
    for (const task of await allTasks(api)) counts.set(task.title, (counts.get(task.title) ?? 0) + 1);
    const twice = [...counts].filter(([, count]) => count > 1).map(([title]) => title);
    const lost = [...confirmed].filter((title) => counts.get(title) !== 1);
    expect(twice, 'created more than once').toEqual([]);
    expect(lost, 'confirmed but not on the server').toEqual([]);
    expect([...counts.keys()].every((title) => attempted.includes(title))).toBe(true);
    // The kills must really have happened at different points, or the test proves nothing.
    expect(killedAppends + killedSyncs).toBeGreaterThan(0);
    console.log(
      `crash runs: ${runs}; appends killed ${killedAppends}, syncs killed ${killedSyncs}; ` +
        `${confirmed.size} confirmed, ${counts.size} on the server (${counts.size - confirmed.size} queued by a command killed before it said so), none twice`,
    );
  });

  it('a kill at each failpoint of append and replay loses nothing and applies nothing twice', async () => {
    const api = new DtmClient({ baseUrl: box.url, retries: 0 });
    await api.auth.login({ username: box.username, password: box.password });
    const edited = await box.json<Task>(['task', 'create', '--title', 'fp to edit']);
    await box.server.setFaults({ down: true });
    const crashAt = (point: string) => ({ env: { DTM_TEST_CRASH_AT: point } });
    for (const point of ['append:torn', 'append:written']) {
      const killed = await box.run(['task', 'create', '--title', `fp ${point}`], crashAt(point));
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
    }
    const base = JSON.parse((await box.run(['task', 'create', '--title', 'fp base', '--json'])).stdout) as Task;
    expect((await box.run(['task', 'update', base.id, '--priority', 'high'])).code).toBe(3);
    expect((await box.run(['task', 'update', edited.id, '--title', 'fp edited'])).code).toBe(3);
    await box.server.setFaults({ down: false });
    await rm(join(box.dataDir, 'breaker.json'), { force: true });

    // Each of these syncs dies right after the server took a change (before it is marked done), or just after.
    for (const point of ['sync:sent', 'sync:sent', 'sync:settled', 'sync:sent', 'sync:settled']) {
      const killed = await box.run(['sync'], crashAt(point));
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
    }
    const final = await box.run(['sync', '--json']);
    expect(final.code, final.stderr).toBe(0);
    expect(JSON.parse(final.stdout)).toMatchObject({ conflicts: [], remaining: 0 });

    const titles = (await allTasks(api)).map((task) => task.title);
    const count = (title: string) => titles.filter((candidate) => candidate === title).length;
    expect(count('fp append:torn'), 'a torn line is no change').toBe(0);
    expect(count('fp append:written'), 'written but not reported: sent once').toBe(1);
    expect(count('fp base')).toBe(1);
    const [sent] = (await api.tasks.list({ q: 'fp base' })).items;
    expect(sent).toMatchObject({ priority: 'high', version: 2 });
    expect(await api.tasks.get(edited.id)).toMatchObject({ title: 'fp edited', version: edited.version + 1 });
  });
});
