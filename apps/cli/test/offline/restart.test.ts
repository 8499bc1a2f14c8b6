// The root README's offline walkthrough: stop the server, work offline, start it again (a new
// server on the same port and data file, as `npm start` does), and `dtm sync` sends the
// queued change with the tokens of the first run, with no new login, to the same data.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningMockServer, startMockServer } from '@dtm/mock-server';
import { DtmClient } from '@dtm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../harness.js';

let directory: string;
let box: Sandbox;
let restarted: RunningMockServer | undefined;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dtm-cli-restart-'));
  box = await sandbox({ tasks: 20, dataFile: join(directory, 'data.json') });
  await box.login();
});

afterAll(async () => {
  await restarted?.stop();
  await box.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('the offline walkthrough across a server restart', () => {
  it('queues a task while the server is stopped, and dtm sync sends it after the restart without a new login', async () => {
    expect((await box.run(['task', 'list', '--limit', '5'])).code).toBe(0);
    await box.server.stop();

    const list = await box.run(['task', 'list', '--limit', '5']);
    expect(list.code, list.stderr).toBe(3);
    const create = await box.run(['task', 'create', '--title', 'Written offline']);
    expect(create.code, create.stderr).toBe(3);
    expect(create.stderr).toMatch(/queued/);

    restarted = await startMockServer({
      port: box.server.port,
      users: [{ username: box.username, password: box.password }],
      dataFile: join(directory, 'data.json'),
    });
    const sync = await box.run(['sync']);
    expect(sync.code, `${sync.stdout}${sync.stderr}`).toBe(0);
    expect(`${sync.stdout}${sync.stderr}`).toMatch(/Sent 1 change/);

    const api = new DtmClient({ baseUrl: restarted.url, retries: 0 });
    await api.auth.login({ username: box.username, password: box.password });
    const page = await api.tasks.list({ q: 'Written offline' });
    expect(page.items.map((task) => task.title)).toEqual(['Written offline']);
    // The 20 seeded tasks of the first run, and the one sent: the same data, not a new seed.
    expect((await api.tasks.list({ limit: 1 })).total).toBe(21);
    expect(restarted.dataFileLoaded).toBe(true);
  });
});
