// dtm project list / show, against the stateful mock's demo data (4 projects, one archived).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Project, type ProjectPage, type ProjectSummary, type Task } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';

const down = ['--api-url', 'http://127.0.0.1:1'];
const stackTrace = /\n\s+at /;

let box: Sandbox;
let api: DtmClient;
let mine: { project: Project; tasks: Task[] };

beforeAll(async () => {
  box = await sandbox({ tasks: 40 });
  api = new DtmClient({ baseUrl: box.url });
  await Promise.all([box.login(), api.auth.login({ username: box.username, password: box.password })]);
  // A project of our own with exactly three tasks, next to the demo projects' tasks.
  const project = await api.projects.create({ name: 'Three tasks', owner: 'demo' });
  const tasks = [];
  for (const title of ['One', 'Two', 'Three']) tasks.push(await api.tasks.create({ title, project_id: project.id }));
  mine = { project, tasks };
});
afterAll(async () => {
  await box.stop();
});

describe('dtm project list', () => {
  it('prints one tab-separated row per project when piped; filters by status and text', async () => {
    const [all, archived, search] = await Promise.all([
      box.run(['project', 'list']),
      box.run(['project', 'list', '--status', 'archived']),
      box.run(['project', 'list', '--search', 'MOBILE']),
    ]);
    expect(all.code, all.stderr).toBe(0);
    const rows = all.stdout.trimEnd().split('\n').map((line) => line.split('\t'));
    expect(rows.map((row) => row[0])).toEqual(['PRJ-001', 'PRJ-002', 'PRJ-003', 'PRJ-004', mine.project.id]);
    expect(rows[0]?.slice(1, 4)).toEqual(['Website relaunch', 'active', 'demo']);
    expect(all.stderr).toBe('');
    expect(archived.stdout.trimEnd().split('\n').map((line) => line.split('\t').slice(0, 3))).toEqual([
      ['PRJ-004', 'Legacy intranet', 'archived'],
    ]);
    expect(search.stdout.split('\t')[0]).toBe('PRJ-002');
  });

  it('--json prints the page; --limit/--offset page through; --all gives every project; --json id,name selects', async () => {
    const [page, all, selected] = await Promise.all([
      box.json<ProjectPage>(['project', 'list', '--limit', '2', '--offset', '1']),
      box.json<Project[]>(['project', 'list', '--all']),
      box.run(['project', 'list', '--status', 'active', '--json', 'id,name']),
    ]);
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 1 });
    expect(page.items.map((project) => project.id)).toEqual(['PRJ-002', 'PRJ-003']);
    expect(all.map((project) => project.id)).toEqual(['PRJ-001', 'PRJ-002', 'PRJ-003', 'PRJ-004', mine.project.id]);
    expect(all[0]).toEqual(await api.projects.get('PRJ-001'));
    expect(selected.code, selected.stderr).toBe(0);
    const items = (JSON.parse(selected.stdout) as { items: Record<string, unknown>[] }).items;
    expect(items.map((item) => Object.keys(item))).toEqual(Array.from({ length: 4 }, () => ['id', 'name']));
  });

  it('says so when nothing matches', async () => {
    const result = await box.run(['project', 'list', '--search', 'no such project']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No projects match.\n');
  });

  it('rejects bad input with exit code 2 and fails with 1 when the server is down, without a stack trace', async () => {
    const results = await Promise.all([
      box.run(['project', 'list', '--status', 'closed']),
      box.run(['project', 'list', '--limit', '0']),
      box.run(['project', 'list', '--json=id,nope']),
      box.run(['project', 'list', ...down]),
      box.run(['project', 'list', '--json', 'id,nope']),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 1, 2]);
    expect(results[0].stderr).toMatch(/^Error: Expected --status=closed to be one of: active, archived/);
    expect(JSON.parse(results[2].stdout)).toMatchObject({ error: { code: 'usage', message: 'Unknown JSON field: nope.' } });
    // The same with a space: `--json id,nope` (it used to be "Unexpected argument: id,nope").
    expect(JSON.parse(results[4].stdout)).toMatchObject({ error: { code: 'usage', message: 'Unknown JSON field: nope.', hint: expect.stringMatching(/^Available fields: id, name/) as unknown } });
    expect(results[3].stderr).toMatch(/^Error: Cannot reach the DTM API at http:\/\/127\.0\.0\.1:1/);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});

describe('dtm project show', () => {
  it('prints the details, or the project as JSON, with selectable fields; ids are case-insensitive', async () => {
    const [text, json, selected] = await Promise.all([
      box.run(['project', 'show', 'PRJ-002']),
      box.json<Project>(['project', 'show', 'prj-002']),
      box.run(['project', 'show', 'PRJ-002', '--json', 'id,owner']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^id +PRJ-002$/m);
    expect(text.stdout).toMatch(/^name +Mobile app$/m);
    expect(text.stdout).toMatch(/^owner +alice$/m);
    expect(text.stdout).toMatch(/^updated +\S+ \(version 1\)$/m);
    expect(text.stdout).not.toContain('tasks');
    expect(json).toEqual(await api.projects.get('PRJ-002'));
    expect(JSON.parse(selected.stdout)).toEqual({ id: 'PRJ-002', owner: 'alice' });
  });

  it("--include-tasks lists exactly the project's tasks under the details, with the counts", async () => {
    const [text, json] = await Promise.all([
      box.run(['project', 'show', mine.project.id, '--include-tasks']),
      box.json<{ project: Project; summary: ProjectSummary; tasks: Task[] }>(['project', 'show', mine.project.id, '--include-tasks']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    const [details, table] = text.stdout.trimEnd().split('\n\n');
    expect(details).toMatch(/^tasks +3 tasks: 3 pending, 0 in progress, 0 blocked, 0 completed, 0 cancelled; 0% done$/m);
    expect(table?.split('\n').map((line) => line.split('\t').slice(0, 3))).toEqual(
      mine.tasks.map((task) => [task.id, task.title, 'pending']),
    );
    expect(json.project).toEqual(await api.projects.get(mine.project.id));
    expect(json.summary).toEqual(await api.projects.summary(mine.project.id));
    expect(json.tasks.map((task) => task.id)).toEqual(mine.tasks.map((task) => task.id));
    expect(Object.keys(json)).toEqual(['project', 'summary', 'tasks']);
  });

  it('--include-tasks on a demo project: every task of it and no other, matching the summary', async () => {
    const [json, selected] = await Promise.all([
      box.json<{ project: Project; summary: ProjectSummary; tasks: Task[] }>(['project', 'show', 'PRJ-001', '--include-tasks']),
      box.run(['project', 'show', 'PRJ-001', '--include-tasks', '--json', 'id,name']),
    ]);
    const expected: string[] = [];
    for await (const task of api.tasks.listAll({ project_id: 'PRJ-001' })) expected.push(task.id);
    expect(json.tasks.map((task) => task.id).sort()).toEqual(expected.sort());
    expect(json.tasks.length).toBe(json.summary.total);
    expect(json.tasks.length).toBeGreaterThan(0);
    expect(json.tasks.every((task) => task.project_id === 'PRJ-001')).toBe(true);
    // Selected fields apply to the project; the counts and tasks stay whole.
    const picked = JSON.parse(selected.stdout) as { project: unknown; summary: ProjectSummary; tasks: Task[] };
    expect(picked.project).toEqual({ id: 'PRJ-001', name: 'Website relaunch' });
    expect(picked.tasks).toHaveLength(json.tasks.length);
  });

  it('unknown id → 1 with the API detail; bad or missing id → 2; server down → 1; never a stack trace', async () => {
    const results = await Promise.all([
      box.run(['project', 'show', 'PRJ-999']),
      box.run(['project', 'show', 'PRJ-999', '--json']),
      box.run(['project', 'show', 'nope']),
      box.run(['project', 'show']),
      box.run(['project', 'show', 'PRJ-001', '--include-tasks', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([1, 1, 2, 2, 1]);
    expect(results[0].stderr).toMatch(/^Error: Project PRJ-999 was not found\./);
    expect(results[0].stderr).toContain('Hint: ');
    expect(JSON.parse(results[1].stdout)).toMatchObject({ error: { code: 'not_found', status: 404 } });
    expect(results[2].stderr).toMatch(/^Error: "nope" is not a project id\./);
    expect(results[3].stderr).toMatch(/^Error: Missing 1 required arg/);
    expect(results[4].stderr).toContain('Cannot reach the DTM API');
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});
