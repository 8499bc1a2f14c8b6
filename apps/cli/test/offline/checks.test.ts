// `project sync [--validate-integrity]` rebuilds the local copy; `status sync --check-csv-drift`
// compares it with the API.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../harness.js';

let box: Sandbox;
let api: DtmClient;
beforeAll(async () => {
  box = await sandbox({ tasks: 40 });
  await box.login();
  api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
});
afterAll(async () => {
  await box.stop();
});

interface Drift {
  kind: string;
  only_local: string[];
  only_remote: string[];
  changed: { id: string; fields: string[] }[];
}

async function drift(): Promise<{ code: number | null; drift: Drift[]; stdout: string }> {
  const result = await box.run(['status', 'sync', '--check-csv-drift', '--json']);
  return { code: result.code, drift: (JSON.parse(result.stdout) as { drift: Drift[] }).drift, stdout: result.stdout };
}

describe('project sync and the drift check', () => {
  it('project sync --validate-integrity writes every record and verifies counts and checksums', async () => {
    const result = await box.run(['project', 'sync', '--validate-integrity', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const checks = JSON.parse(result.stdout) as { kind: string; records: number; checksum: string; valid: boolean }[];
    const [tasks, projects, sprints] = await Promise.all([api.tasks.list({ limit: 1 }), api.projects.list({ limit: 1 }), api.sprints.list({ limit: 1 })]);
    expect(checks.map(({ kind, records, valid }) => ({ kind, records, valid }))).toEqual([
      { kind: 'tasks', records: tasks.total, valid: true },
      { kind: 'projects', records: projects.total, valid: true },
      { kind: 'sprints', records: sprints.total, valid: true },
    ]);
    for (const check of checks) expect(check.checksum).toMatch(/^[0-9a-f]{64}$/);
    const csv = await readFile(join(box.dataDir, 'tasks.csv'), 'utf8');
    expect(csv.split('\n')[2]).toBe(`### Source: DTM API (${tasks.total} records)`);
  });

  it('right after it, the drift check finds nothing (exit 0)', async () => {
    const { code, drift: found, stdout } = await drift();
    expect(code, stdout).toBe(0);
    expect(found.map((kind) => kind.only_local.length + kind.only_remote.length + kind.changed.length)).toEqual([0, 0, 0]);
  });

  it('lists server-side changes and hand edits of the CSV (exit 3); project sync repairs the copy', async () => {
    const page = await api.tasks.list({ limit: 2, sort: 'id' });
    const [first, second] = page.items;
    if (first === undefined || second === undefined) throw new Error('the seed has tasks');
    await api.tasks.update(first.id, { title: 'Changed on the server' });
    const added = await api.tasks.create({ title: 'Only on the server' });
    const file = join(box.dataDir, 'tasks.csv');
    await writeFile(file, (await readFile(file, 'utf8')).replace(second.title, 'Edited by hand'));

    const { code, drift: found } = await drift();
    expect(code).toBe(3);
    const tasks = found.find((kind) => kind.kind === 'tasks');
    expect(tasks?.only_remote).toEqual([added.id]);
    expect(tasks?.changed.find((change) => change.id === first.id)?.fields).toEqual(expect.arrayContaining(['title', 'version', 'updated_at']));
    expect(tasks?.changed.find((change) => change.id === second.id)?.fields).toEqual(['title']);

    expect((await box.run(['project', 'sync'])).code).toBe(0);
    expect((await drift()).code).toBe(0);
  });
});
