// The local copy and the fallback to it: the spawned `dtm` against the stateful mock, which
// is then taken down (connection refused).
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task, TaskPage } from '@dtm/sdk';
import { artifactLine, readCollection } from '../../src/lib/offline/local-copy.js';
import { type Sandbox, sandbox } from '../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 60 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

const query = ['task', 'list', '--status', 'pending', '--sort', '-priority', '--limit', '5', '--json'];
type LocalPage = TaskPage & { source?: string; last_sync?: string };

describe('the local copy and the fallback to it', () => {
  let expected: TaskPage;
  let created: Task;

  it('task list --all writes tasks.csv: three ### lines, a header row, every task', async () => {
    const all = await box.json<Task[]>(['task', 'list', '--all']);
    const text = await readFile(join(box.dataDir, 'tasks.csv'), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe(artifactLine);
    expect(lines[1]).toMatch(/^### Last Sync: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(lines[2]).toBe(`### Source: DTM API (${all.length} records)`);
    expect(lines[3]?.startsWith('id,title,description,status,priority,')).toBe(true);
    const copy = await readCollection('tasks', { dir: box.dataDir });
    expect(copy?.records).toEqual([...all].sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('writes refresh it: a created task with commas and quotes is there as the API returned it', async () => {
    created = await box.json<Task>(['task', 'create', '--title', 'Ship "v2", then, celebrate', '--tag', 'a', '--tag', 'b', '--estimate', '2.5']);
    const copy = await readCollection('tasks', { dir: box.dataDir });
    expect(copy?.records.find((task) => task.id === created.id)).toEqual(created);
    expected = await box.json<TaskPage>(query.slice(0, -1));
  });

  it('--offline answers from the local copy even with the server up: same items, exit code 3', async () => {
    const result = await box.run([...query, '--offline']);
    expect(result.code, result.stderr).toBe(3);
    const page = JSON.parse(result.stdout) as LocalPage;
    expect(page).toMatchObject({ source: 'local', total: expected.total, limit: 5, offset: 0 });
    expect(page.items).toEqual(expected.items);
    expect(result.stderr).toMatch(/^Offline: answered from the local copy of .+ \(--offline\)\.$/m);
  });

  it('with DTM_FALLBACK_ENABLED=false no local copy is kept', async () => {
    const elsewhere = join(box.dataDir, 'no-fallback');
    const result = await box.run(['task', 'list'], { env: { DTM_FALLBACK_ENABLED: 'false', DTM_DATA_DIR: elsewhere } });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(elsewhere, 'tasks.csv'))).toBe(false);
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
      await rm(join(box.dataDir, 'breaker.json'), { force: true });
    });

    it('a list answers from the local copy with the server’s filters, order and paging: exit 3, source local', async () => {
      const result = await box.run(query);
      expect(result.code, result.stderr).toBe(3);
      const page = JSON.parse(result.stdout) as LocalPage;
      expect(page.source).toBe('local');
      expect(page.last_sync).toMatch(/^\d{4}-/);
      expect(page.items).toEqual(expected.items);
      expect(page.total).toBe(expected.total);
      expect(result.stderr).toContain(`Offline: answered from the local copy of ${String(page.last_sync)} (the API at ${box.url} is unreachable).`);
    });

    it('task show works offline; an id the copy lacks is exit 1', async () => {
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

    it('the breaker state is saved, so the next command does not wait for the server again', async () => {
      // A read that falls back makes one attempt (no retries), so the breaker opens at the 5th such read.
      const saved = async () => (JSON.parse(await readFile(join(box.dataDir, 'breaker.json'), 'utf8')) as Record<string, { state: string }>)[box.url];
      for (let run = 0; run < 5 && (await saved())?.state !== 'open'; run++) expect((await box.run(query)).code).toBe(3);
      expect((await saved())?.state).toBe('open');
      const result = await box.run([...query, '--debug']);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/circuit breaker is open|no answer/i);
    });

    it('--api, DTM_FALLBACK_ENABLED=false, or no local copy at all: the unreachable error, exit 1', async () => {
      const [api, disabled, empty] = await Promise.all([
        box.run([...query, '--api']),
        box.run(query, { env: { DTM_FALLBACK_ENABLED: 'false' } }),
        box.run(['task', 'list'], { env: { DTM_DATA_DIR: join(box.dataDir, 'empty') } }),
      ]);
      expect(api.code).toBe(1);
      expect(JSON.parse(api.stdout)).toMatchObject({ error: { code: 'unreachable' } });
      expect(disabled.code).toBe(1);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toMatch(/^Error: listTasks: cannot reach the DTM API/);
      expect(empty.stderr).toContain('Nothing was synced');
    });
  });
});

describe('--offline on a command that needs the API', () => {
  it('is a usage error, and nothing is sent', async () => {
    const result = await box.run(['sprint', 'start', 'SPR-001', '--offline']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--offline: `dtm sprint start` needs the API.');
  });
});
