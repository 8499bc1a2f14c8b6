// How fast a read fails over to the local store: the spawned `dtm` makes one attempt only, and
// does not wait out the backoff, when the API refuses connections or accepts them and never
// answers (then within DTM_AUTH_TIMEOUT, not DTM_REQUEST_TIMEOUT).
import { type Server, type Socket, connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskPage } from '@dtm/sdk';
import type { MetricsEntry } from '../../src/lib/metrics-log.js';
import { type Result, type Sandbox, sandbox } from '../harness.js';
import { metaValue } from './support/store-files.js';

const list = ['task', 'list', '--limit', '5', '--json'];
type LocalPage = TaskPage & { source?: string; last_sync?: string };

/** The SDK's per-call `--debug` lines for listTasks, e.g. `GET listTasks → no answer in 2 ms (1 attempt, request …)`. */
function listAttempts(result: Result): number[] {
  return [...result.stderr.matchAll(/GET listTasks → .* \((\d+) attempts?, request /g)].map((match) => Number(match[1]));
}

async function lastListCall(box: Sandbox): Promise<MetricsEntry | undefined> {
  const lines = (await readFile(join(box.dataDir, 'metrics.ndjson'), 'utf8')).trim().split('\n');
  return lines
    .map((line) => JSON.parse(line) as MetricsEntry)
    .filter((entry) => entry.operation === 'listTasks')
    .at(-1);
}

describe('with the API refusing connections', () => {
  let box: Sandbox;
  let online: TaskPage;
  beforeAll(async () => {
    box = await sandbox({ tasks: 20 });
    await box.login();
    online = await box.json<TaskPage>(list.slice(0, -1));
    await box.server.setFaults({ down: true });
  });
  afterAll(async () => {
    await box.stop();
  });

  it('task list answers from the local store after exactly one connection attempt', async () => {
    const result = await box.run([...list, '--debug']);
    expect(result.code, result.stderr).toBe(3);
    const page = JSON.parse(result.stdout) as LocalPage;
    expect(page.source).toBe('local');
    expect(page.items).toEqual(online.items);
    expect(listAttempts(result)).toEqual([1]);
    expect(await lastListCall(box)).toMatchObject({ attempts: 1, status: null, ok: false });
    // One failure, kept in the store: the breaker is not open yet, the next command tries the server again.
    expect(JSON.parse(metaValue(box.dataDir, box.url, 'breaker') ?? 'null')).toMatchObject({ state: 'closed', failures: 1 });
  });

  it('with --api (no fallback) the SDK still retries before giving up', async () => {
    const result = await box.run([...list, '--api', '--debug']);
    expect(result.code).toBe(1);
    expect(listAttempts(result)).toEqual([3]);
  });
});

/** A TCP server in front of the mock: it forwards connections, or accepts them and never answers. */
async function switchableProxy(target: string): Promise<{ url: string; hang: boolean; hung: number; close: () => Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const proxy = {
    url: '',
    hang: false,
    /** Connections accepted while hanging. */
    hung: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (proxy.hang) {
      proxy.hung++;
      return;
    }
    const upstream = connect(Number(port), hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

describe('with an API that accepts connections and never answers', () => {
  let box: Sandbox;
  let proxy: Awaited<ReturnType<typeof switchableProxy>>;
  let env: Record<string, string>;
  let online: TaskPage;
  beforeAll(async () => {
    box = await sandbox({ tasks: 20 });
    proxy = await switchableProxy(box.url);
    env = { DTM_API_URL: proxy.url };
    const login = await box.run(['auth', 'login', '--username', box.username, '--password-stdin'], { stdin: `${box.password}\n`, env });
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
    online = await box.json<TaskPage>(list.slice(0, -1), { env });
    proxy.hang = true;
  });
  afterAll(async () => {
    await proxy.close();
    await box.stop();
  });

  it('task list falls back within DTM_AUTH_TIMEOUT, not DTM_REQUEST_TIMEOUT, after one attempt', async () => {
    const started = Date.now();
    const result = await box.run([...list, '--debug'], { env: { ...env, DTM_AUTH_TIMEOUT: '300ms', DTM_REQUEST_TIMEOUT: '10s' } });
    const elapsed = Date.now() - started;
    expect(result.code, result.stderr).toBe(3);
    const page = JSON.parse(result.stdout) as LocalPage;
    expect(page.source).toBe('local');
    expect(page.items).toEqual(online.items);
    expect(proxy.hung).toBe(1);
    expect(listAttempts(result)).toEqual([1]);
    expect(await lastListCall(box)).toMatchObject({ attempts: 1, status: null, ok: false });
    expect(elapsed).toBeLessThan(5000); // one 300 ms attempt and a process start; retrying at 10 s each would take 30 s
  });
});
