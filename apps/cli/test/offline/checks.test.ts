// `project sync [--validate-integrity]` reads everything into the local store and writes its
// CSV mirror; `status sync --check-csv-drift` compares the mirror with the store and the store
// with the API.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../harness.js';
import { mirrorPathOf } from './support/store-files.js';

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

type Mirror = Record<string, { file: string; current: boolean; matches_store: boolean }>;

async function drift(): Promise<{ code: number | null; drift: Drift[]; mirror: Mirror; stdout: string }> {
  const result = await box.run(['status', 'sync', '--check-csv-drift', '--json']);
  const status = JSON.parse(result.stdout) as { drift: Drift[]; mirror: Mirror };
  return { code: result.code, drift: status.drift, mirror: status.mirror, stdout: result.stdout };
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
    const csv = await readFile(mirrorPathOf(box.dataDir, box.url, 'tasks'), 'utf8');
    expect(csv.split('\n')[2]).toBe(`### Source: DTM API (${tasks.total} records)`);
    const sprintsCsv = await readFile(mirrorPathOf(box.dataDir, box.url, 'sprints'), 'utf8');
    expect(sprintsCsv.split('\n')[2]).toBe(`### Source: DTM API (${sprints.total} records)`);
  });

  it('right after it, the drift check finds nothing (exit 0)', async () => {
    const { code, drift: found, mirror, stdout } = await drift();
    expect(code, stdout).toBe(0);
    expect(found.map((kind) => kind.only_local.length + kind.only_remote.length + kind.changed.length)).toEqual([0, 0, 0]);
    expect(Object.values(mirror).map((file) => [file.current, file.matches_store])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
  });

  it('lists server-side changes and hand edits of the CSV mirror (exit 3); project sync repairs both', async () => {
    const page = await api.tasks.list({ limit: 2, sort: 'id' });
    const [first, second] = page.items;
    if (first === undefined || second === undefined) throw new Error('the seed has tasks');
    await api.tasks.update(first.id, { title: 'Changed on the server' });
    const added = await api.tasks.create({ title: 'Only on the server' });
    const file = mirrorPathOf(box.dataDir, box.url, 'tasks');
    await writeFile(file, (await readFile(file, 'utf8')).replace(second.title, 'Edited by hand'));

    const { code, drift: found, mirror } = await drift();
    expect(code).toBe(3);
    const tasks = found.find((kind) => kind.kind === 'tasks');
    expect(tasks?.only_remote).toEqual([added.id]);
    expect(tasks?.changed.map((change) => change.id)).toEqual([first.id]);
    expect(tasks?.changed[0]?.fields).toEqual(expect.arrayContaining(['title', 'version', 'updated_at']));
    // The hand edit is in the mirror only: the store still has the API's title.
    expect(mirror.tasks).toMatchObject({ matches_store: false });
    expect(mirror.projects).toMatchObject({ matches_store: true });
    const text = await box.run(['status', 'sync', '--check-csv-drift']);
    expect(text.stdout).toMatch(/tasks\.csv differs from the store/);
    expect(text.stdout).toContain(`only on the server: ${added.id}`);

    expect((await box.run(['project', 'sync'])).code).toBe(0);
    const repaired = await drift();
    expect(repaired.code, repaired.stdout).toBe(0);
    expect(await readFile(file, 'utf8')).not.toContain('Edited by hand');
  });
});
