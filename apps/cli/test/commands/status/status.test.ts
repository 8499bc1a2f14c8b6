import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 3 });
});
afterAll(async () => {
  await box.stop();
});

/** A server whose /health answers 503 with status "down", as a real one may. */
async function downServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'down', version: '9.9.9', database: { status: 'down', latency_ms: null }, uptime_seconds: 12 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('dtm status health', () => {
  it('shows status, version, database, uptime and round-trip time; exit 0 when ok', async () => {
    const [text, json] = await Promise.all([box.run(['status', 'health']), box.json<Record<string, unknown>>(['status', 'health'])]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${box.url} is ok`);
    expect(text.stdout).toMatch(/^version +1\.0\.0-mock$/m);
    expect(text.stdout).toMatch(/^database +up/m);
    expect(text.stdout).toMatch(/^round trip +[\d.]+ ms$/m);
    expect(json).toMatchObject({ api_url: box.url, status: 'ok', version: '1.0.0-mock', database: { status: 'up' } });
    expect(json.round_trip_ms).toBeGreaterThan(0);
    expect(json.uptime_seconds).toBeGreaterThanOrEqual(0);
  });

  it('exits 1 quickly when the API is unreachable, and when it reports down', async () => {
    const down = await downServer();
    try {
      const started = Date.now();
      const [unreachable, unreachableJson, reportsDown] = await Promise.all([
        box.run(['status', 'health', '--api-url', 'http://127.0.0.1:1']),
        box.run(['status', 'health', '--api-url', 'http://127.0.0.1:1', '--json']),
        box.run(['status', 'health', '--api-url', down.url, '--json']),
      ]);
      expect(Date.now() - started).toBeLessThan(5000); // three processes, no retries, no waiting for a timeout
      expect(unreachable.code).toBe(1);
      expect(unreachable.stdout).toContain('http://127.0.0.1:1 is unreachable');
      expect(unreachable.stderr).toContain('Hint: Check that the server is running');
      expect(unreachableJson.code).toBe(1);
      expect(JSON.parse(unreachableJson.stdout)).toMatchObject({ status: 'unreachable', version: null, error: expect.stringContaining('Cannot reach the DTM API') as string });
      expect(reportsDown.code).toBe(1);
      expect(JSON.parse(reportsDown.stdout)).toMatchObject({ status: 'down', version: '9.9.9', database: { status: 'down' } });
    } finally {
      down.server.close();
    }
  });
});

describe('dtm status performance', () => {
  it('says so when nothing is logged yet (exit 0)', async () => {
    const env = { DTM_DATA_DIR: join(box.dataDir, 'empty') };
    const [text, json] = await Promise.all([box.run(['status', 'performance'], { env }), box.json(['status', 'performance'], { env })]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^No API calls logged yet/);
    expect(json).toMatchObject({ total: null, operations: [], over_baseline: [] });
  });

  it('summarises the calls of earlier commands, the rotated log included, and flags slow operations', async () => {
    // A data dir of its own: the health checks above logged calls too.
    const dataDir = join(box.dataDir, 'performance');
    const env = { DTM_DATA_DIR: dataDir };
    const loginAgain = await box.run(['auth', 'login', '--username', box.username, '--password-stdin'], { env, stdin: box.password });
    expect(loginAgain.code).toBe(0);
    await Promise.all([box.run(['task', 'list'], { env }), box.run(['task', 'list', '--limit', '1'], { env }), box.run(['status', 'health'], { env })]);
    // An older, rotated log: a slow operation (flagged), and a call from last week.
    const old = (operation: string, duration: number, at: string): string =>
      JSON.stringify({ at, operation, method: 'POST', status: 201, attempts: 1, duration_ms: duration, ok: true, request_id: 'req_x' });
    const recent = new Date(Date.now() - 60_000).toISOString();
    const lastWeek = new Date(Date.now() - 6 * 86_400_000).toISOString();
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'metrics.ndjson.1'), `${[old('createTask', 900, recent), old('createTask', 950, recent), old('deleteTask', 20, lastWeek)].join('\n')}\n`);

    interface Report {
      total: { count: number; success_rate: number; p95_ms: number };
      operations: { operation: string; count: number; p50_ms: number; over_baseline: boolean }[];
      slowest: { operation: string }[];
      over_baseline: string[];
    }
    const [all, day, tasks, text, bad] = await Promise.all([
      box.json<Report>(['status', 'performance'], { env }),
      box.json<Report>(['status', 'performance', '--since', '24h'], { env }),
      box.json<Report>(['status', 'performance', '--operation', 'listTasks'], { env }),
      box.run(['status', 'performance'], { env }),
      box.run(['status', 'performance', '--since', 'yesterday'], { env }),
    ]);
    const counts = Object.fromEntries(all.operations.map((stats) => [stats.operation, stats.count]));
    expect(counts).toEqual({ login: 1, listTasks: 2, getHealth: 1, createTask: 2, deleteTask: 1 });
    expect(all.total.count).toBe(7);
    expect(all.total.success_rate).toBe(1);
    expect(all.slowest[0]?.operation).toBe('createTask');
    expect(all.over_baseline).toEqual(['createTask']);
    expect(day.total.count).toBe(6);
    expect(day.operations.map((stats) => stats.operation)).not.toContain('deleteTask');
    expect(tasks.operations.map((stats) => stats.operation)).toEqual(['listTasks']);

    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^7 API calls: average .* p50 .* p95 .* max .* 100 % succeeded$/m);
    expect(text.stdout).toMatch(/^listTasks\t2\t/m);
    expect(text.stdout).toContain('Slowest (p95): createTask');
    expect(text.stdout).toContain('createTask is over the baseline: p95 950 ms > 500 ms per call');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be a span like 30m, 1h, 24h or 7d');
  });
});
