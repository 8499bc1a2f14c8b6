// The local store and the fallback to it: the spawned `dtm` against the stateful mock, which
// is then taken down (connection refused). Answers from the store must equal the API's for
// the same query: filters, order, paging.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Task, type TaskPage } from '@dtm/sdk';
import { artifactLine, parseCsv } from '../../src/lib/store/csv.js';
import { type Sandbox, sandbox } from '../harness.js';
import { metaValue, mirrorText, storePathOf, storedRecords } from './support/store-files.js';

let box: Sandbox;
let api: DtmClient;
/** Just before the tasks the tests create (the seed's are older). */
let since = '';
beforeAll(async () => {
  box = await sandbox({ tasks: 60 });
  await box.login();
  api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
  since = new Date().toISOString();
  // Titles that a byte-wise comparison or SQLite's ASCII-only lower() would get wrong.
  for (const title of ['Äpfel kaufen', 'apfelmus', 'ÄRGER mit Umlauten', 'zebra stripes', 'Zürich trip']) await api.tasks.create({ title, priority: 'high' });
});
afterAll(async () => {
  await box.stop();
});

const query = ['task', 'list', '--status', 'pending', '--sort', '-priority', '--limit', '5', '--json'];
type LocalPage = TaskPage & { source?: string; last_sync?: string };

describe('the local store and the fallback to it', () => {
  let expected: TaskPage;
  let created: Task;

  it('task list --all keeps every task in the store, and the CSV mirror tasks.csv in the server’s folder has them all', async () => {
    const all = await box.json<Task[]>(['task', 'list', '--all'], { env: { DTM_MIRROR: 'inline' } });
    expect(storedRecords(box.dataDir, box.url, 'tasks')).toEqual([...all].sort((a, b) => a.id.localeCompare(b.id)));
    const text = await mirrorText(box.dataDir, box.url, 'tasks');
    const lines = text.split('\n');
    expect(lines[0]).toBe(artifactLine);
    expect(lines[1]).toMatch(/^### Last Sync: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(lines[2]).toBe(`### Source: DTM API (${all.length} records)`);
    expect(lines[3]?.startsWith('id,title,description,status,priority,')).toBe(true);
    expect(parseCsv('tasks', text).records).toEqual([...all].sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('writes are kept: a created task with commas and quotes is in the store as the API returned it', async () => {
    created = await box.json<Task>(['task', 'create', '--title', 'Ship "v2", then, celebrate', '--tag', 'a', '--tag', 'b', '--estimate', '2.5']);
    expect(storedRecords(box.dataDir, box.url, 'tasks').find((task) => task.id === created.id)).toEqual(created);
    expected = await box.json<TaskPage>(query.slice(0, -1));
  });

  it('--offline answers from the store even with the server up: same items, exit code 3', async () => {
    const result = await box.run([...query, '--offline']);
    expect(result.code, result.stderr).toBe(3);
    const page = JSON.parse(result.stdout) as LocalPage;
    expect(page).toMatchObject({ source: 'local', total: expected.total, limit: 5, offset: 0 });
    expect(page.items).toEqual(expected.items);
    expect(result.stderr).toMatch(/^Offline: answered from the local copy of .+ \(--offline\)\.$/m);
  });

  it.each([
    ['title sort (by locale), a page in the middle', ['--sort', 'title', '--limit', '7', '--offset', '3']],
    ['-title sort', ['--sort', '-title', '--limit', '10']],
    ['-priority sort, ties by id', ['--sort', '-priority', '--limit', '20', '--offset', '5']],
    ['due_date sort: tasks without one last', ['--sort', 'due_date', '--limit', '100']],
    ['-due_date sort: tasks without one still last', ['--sort', '-due_date', '--limit', '100']],
    ['status sort with a filter', ['--sort', 'status', '--priority', 'high,critical', '--limit', '100']],
    ['search, any case, non-ASCII', ['--search', 'äRGER', '--limit', '100']],
    ['search, a substring', ['--search', 'PFEL', '--sort', 'title']],
    ['updated since (only the tasks made here)', () => ['--updated-since', since, '--sort', '-updated_at']],
    ['a page past the end', ['--limit', '10', '--offset', '1000']],
  ])('%s: the store answers what the API does', async (_name, given) => {
    const flags = typeof given === 'function' ? given() : given;
    const online = await box.json<TaskPage>(['task', 'list', ...flags]);
    // A query that finds something (but the page past the end), and not everything when it filters.
    if (!flags.includes('1000')) expect(online.items.length).toBeGreaterThan(0);
    if (flags.includes('--updated-since')) expect(online.total).toBe(6);
    const offline = await box.run(['task', 'list', ...flags, '--offline', '--json']);
    expect(offline.code, offline.stderr).toBe(3);
    const { source, last_sync: _sync, ...page } = JSON.parse(offline.stdout) as LocalPage;
    expect(source).toBe('local');
    expect(page).toEqual(online);
  });

  it('projects and sprints too', async () => {
    for (const args of [
      ['project', 'list', '--all'],
      ['sprint', 'list', '--all'],
      ['project', 'list', '--search', 'a', '--limit', '2', '--offset', '1'],
      ['sprint', 'list', '--status', 'completed'],
    ]) {
      const online = await box.json(args);
      const offline = await box.run([...args, '--offline', '--json']);
      expect(offline.code, offline.stderr).toBe(3);
      const local = JSON.parse(offline.stdout) as Record<string, unknown>;
      if (Array.isArray(local)) expect(local).toEqual(online);
      else expect({ ...local, source: undefined, last_sync: undefined }).toEqual({ ...(online as object), source: undefined, last_sync: undefined });
    }
  });

  it('with DTM_FALLBACK_ENABLED=false no local store is kept', async () => {
    const elsewhere = join(box.dataDir, 'no-fallback');
    const result = await box.run(['task', 'list'], { env: { DTM_FALLBACK_ENABLED: 'false', DTM_DATA_DIR: elsewhere } });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(storePathOf(elsewhere, box.url))).toBe(false);
    expect(existsSync(join(elsewhere, 'servers'))).toBe(false);
  });

  it('--offline and --api together are a usage error', async () => {
    const result = await box.run(['task', 'list', '--offline', '--api']);
    expect(result.code).toBe(2);
  });

  describe('with the server down', () => {
    beforeAll(async () => {
      await box.server.setFaults({ down: true });
    });
    afterAll(async () => {
      await box.server.setFaults({ down: false });
    });

    it('a list answers from the store with the server’s filters, order and paging: exit 3, source local', async () => {
      const result = await box.run(query);
      expect(result.code, result.stderr).toBe(3);
      const page = JSON.parse(result.stdout) as LocalPage;
      expect(page.source).toBe('local');
      expect(page.last_sync).toMatch(/^\d{4}-/);
      expect(page.items).toEqual(expected.items);
      expect(page.total).toBe(expected.total);
      expect(result.stderr).toContain(`Offline: answered from the local copy of ${String(page.last_sync)} (the API at ${box.url} is unreachable).`);
    });

    it('task show works offline; an id the store lacks is exit 1', async () => {
      const shown = await box.run(['task', 'show', created.id, '--json']);
      expect(shown.code, shown.stderr).toBe(3);
      expect(JSON.parse(shown.stdout)).toEqual({ ...created, source: 'local', last_sync: expect.any(String) as string });
      const text = await box.run(['task', 'show', created.id]);
      expect(text.code).toBe(3);
      expect(text.stdout).toContain('Ship "v2", then, celebrate');
      const missing = await box.run(['task', 'show', 'TASK-999999']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('TASK-999999 is not in the local copy');
    });

    it('the breaker state is saved in the store, so the next command tries the server once and fails over', async () => {
      // A read that falls back makes one attempt (no retries), so the breaker opens at the 5th such read.
      const saved = (): { state: string; failures: number } | undefined => {
        const value = metaValue(box.dataDir, box.url, 'breaker');
        return value === undefined ? undefined : (JSON.parse(value) as { state: string; failures: number });
      };
      for (let run = 0; run < 5 && saved()?.state !== 'open'; run++) expect((await box.run(query)).code).toBe(3);
      expect(saved()?.state).toBe('open');
      const result = await box.run([...query, '--debug']);
      expect(result.code, result.stderr).toBe(3);
      // Half-open: one probe, no retries, then the local answer.
      expect([...result.stderr.matchAll(/GET listTasks → .* \((\d+) attempts?, request /g)].map((match) => match[1])).toEqual(['1']);
      expect(saved()?.state).toBe('open');
    });

    it('--api, DTM_FALLBACK_ENABLED=false, or no store at all: the unreachable error, exit 1', async () => {
      const [forced, disabled, empty] = await Promise.all([
        box.run([...query, '--api']),
        box.run(query, { env: { DTM_FALLBACK_ENABLED: 'false' } }),
        box.run(['task', 'list'], { env: { DTM_DATA_DIR: join(box.dataDir, 'empty') } }),
      ]);
      expect(forced.code).toBe(1);
      expect(JSON.parse(forced.stdout)).toMatchObject({ error: { code: 'unreachable' } });
      expect(disabled.code).toBe(1);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(/^Error: Cannot reach the DTM API/);
      expect(empty.stderr).toContain('Nothing was synced');
    });
  });
});

describe('--offline on a command that needs the API', () => {
  it('is a usage error, and nothing is sent', async () => {
    const result = await box.run(['sprint', 'burndown', 'SPR-001', '--offline']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('--offline: `dtm sprint burndown` needs the API.');
    const sync = await box.run(['sync', '--offline']);
    expect(sync.code).toBe(2);
    expect(sync.stderr).toContain('--offline: `dtm sync` needs the API.');
  });
});
