// dtm project create / update / delete, against the stateful mock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Project } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';

const down = ['--api-url', 'http://127.0.0.1:1'];
const stackTrace = /\n\s+at /;

let box: Sandbox;
let api: DtmClient;

beforeAll(async () => {
  box = await sandbox({ tasks: 20 });
  api = new DtmClient({ baseUrl: box.url });
  await Promise.all([box.login(), api.auth.login({ username: box.username, password: box.password })]);
});
afterAll(async () => {
  await box.stop();
});

describe('dtm project create', () => {
  it('creates a project and prints it (details, or the project as JSON)', async () => {
    const text = await box.run(['project', 'create', '--name', 'Billing', '--description', 'Invoices and payments', '--owner', 'alice']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^id +PRJ-005$/m);
    expect(text.stdout).toMatch(/^name +Billing$/m);
    expect(text.stdout).toMatch(/^description +Invoices and payments$/m);
    expect(text.stderr).toContain('Created project PRJ-005.');
    const json = await box.json<Project>(['project', 'create', '--name', 'Archive', '--status', 'archived']);
    expect(json).toMatchObject({ id: 'PRJ-006', name: 'Archive', status: 'archived', owner: null, description: null, version: 1 });
    expect(await api.projects.get('PRJ-006')).toEqual(json);
  });

  it('missing --name or a bad --status → 2; a taken name → 1; server down → 1', async () => {
    const results = await Promise.all([
      box.run(['project', 'create']),
      box.run(['project', 'create', '--name', 'X', '--status', 'closed']),
      box.run(['project', 'create', '--name', '  ']),
      box.run(['project', 'create', '--name', 'Mobile app']),
      box.run(['project', 'create', '--name', 'Y', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 1, 1]);
    // (oclif's own message for a missing flag; its first line only, see describe-error.ts)
    expect(results[0].stderr).toMatch(/^Error: .*\nHint: See `--help`/);
    expect(results[1].stderr).toMatch(/^Error: Expected --status=closed to be one of: active, archived/);
    expect(results[2].stderr).toMatch(/^Error: The project name must not be empty/);
    // A taken name says so, and how to pick another, not "fetch the current state".
    expect(results[3].stderr).toBe(
      'Error: Cannot create the project: PRJ-002 is already named "Mobile app"; project names are unique.\n' +
        'Hint: Project names are unique: choose another name (`dtm project list` shows the names in use).\n',
    );
    expect(results[4].stderr).toContain('Cannot reach the DTM API');
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});

describe('dtm project update', () => {
  it('changes only the given fields; "" clears a field; --if-match guards against a concurrent change', async () => {
    const created = await api.projects.create({ name: 'To update', description: 'Before', owner: 'bob' });
    const text = await box.run(['project', 'update', created.id, '--name', 'Updated', '--if-match', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^name +Updated$/m);
    expect(text.stderr).toContain(`Updated project ${created.id} (version 2).`);
    const json = await box.json<Project>(['project', 'update', created.id, '--description', '', '--status', 'archived']);
    expect(json).toMatchObject({ id: created.id, name: 'Updated', description: null, owner: 'bob', status: 'archived', version: 3 });
    const stale = await box.run(['project', 'update', created.id, '--owner', 'carol', '--if-match', '1']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(new RegExp(`^Error: Project ${created.id} has changed since it was read; nothing was changed\\.`));
    expect((await api.projects.get(created.id)).owner).toBe('bob');
    const taken = await box.run(['project', 'update', created.id, '--name', 'Mobile app']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(new RegExp(`^Error: Cannot update ${created.id}: PRJ-002 is already named "Mobile app".*\\nHint: Project names are unique: choose another name`, 's'));
  });

  it('no change → 2; bad status, id or --if-match → 2; unknown id → 1; server down → 1', async () => {
    const results = await Promise.all([
      box.run(['project', 'update', 'PRJ-001']),
      box.run(['project', 'update', 'PRJ-001', '--status', 'gone']),
      box.run(['project', 'update', 'project-1', '--name', 'X']),
      box.run(['project', 'update', 'PRJ-001', '--name', 'X', '--if-match', 'abc']),
      box.run(['project', 'update', '--name', 'X']),
      box.run(['project', 'update', 'PRJ-999', '--name', 'X']),
      box.run(['project', 'update', 'PRJ-001', '--name', 'X', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2, 2, 1, 1]);
    expect(results[0].stderr).toMatch(/^Error: Nothing to change\.\nHint: Pass at least one of --name/);
    expect(results[5].stderr).toMatch(/^Error: Project PRJ-999 was not found\./);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});

describe('dtm project delete', () => {
  it('deletes with --yes (text and JSON); without a terminal and without --yes it refuses with 2', async () => {
    const [first, second] = await Promise.all([api.projects.create({ name: 'Empty one' }), api.projects.create({ name: 'Empty two' })]);
    const refused = await box.run(['project', 'delete', first.id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^Error: Cannot ask for confirmation to delete PRJ-\d+: there is no terminal to ask\.\nHint: Pass --yes/);
    const [text, json] = await Promise.all([
      box.run(['project', 'delete', first.id, '--yes']),
      box.json(['project', 'delete', second.id, '-y']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`✓ Deleted project ${first.id}.\n`);
    expect(json).toEqual({ id: second.id, deleted: true });
    await expect(api.projects.get(first.id)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it.runIf(canRunInTerminal)('on a terminal it asks first: anything but y keeps the project, y deletes it', async () => {
    const project = await api.projects.create({ name: 'Ask me' });
    const kept = await runInTerminal(box, ['project', 'delete', project.id], 'n\n');
    expect(kept.code).toBe(1);
    expect(kept.output).toContain(`Delete project ${project.id} "Ask me"? This cannot be undone. [y/N]`);
    expect(kept.output).toContain('Not deleted.');
    expect((await api.projects.get(project.id)).id).toBe(project.id);
    const deleted = await runInTerminal(box, ['project', 'delete', project.id], 'y\n');
    expect(deleted.code, deleted.output).toBe(0);
    expect(deleted.output).toContain(`Deleted project ${project.id}.`);
    await expect(api.projects.get(project.id)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('a project that still has tasks → 1 with the API detail and a hint, and it stays', async () => {
    const [text, json] = await Promise.all([
      box.run(['project', 'delete', 'PRJ-001', '--yes']),
      box.run(['project', 'delete', 'PRJ-001', '--yes', '--json']),
    ]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^Error: Cannot delete PRJ-001: PRJ-001 still has \d+ task\(s\) and 3 sprint\(s\)/);
    expect(text.stderr).toMatch(/\nHint: .*dtm project update PRJ-001 --status archived/);
    expect(text.stderr).not.toMatch(stackTrace);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('still has') as unknown } });
    expect((await api.projects.get('PRJ-001')).id).toBe('PRJ-001');
  });

  it('unknown id → 1; bad or missing id → 2; server down → 1', async () => {
    const results = await Promise.all([
      box.run(['project', 'delete', 'PRJ-999', '--yes']),
      box.run(['project', 'delete', 'SPR-001', '--yes']),
      box.run(['project', 'delete', '--yes']),
      box.run(['project', 'delete', 'PRJ-004', '--yes', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([1, 2, 2, 1]);
    expect(results[0].stderr).toMatch(/^Error: Project PRJ-999 was not found\./);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});
