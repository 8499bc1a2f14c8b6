// dtm sprint list / show, against the stateful mock's demo data: three active projects with
// a completed, an active and a planned sprint each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Sprint, type SprintPage } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';

const down = ['--api-url', 'http://127.0.0.1:1'];
const stackTrace = /\n\s+at /;

let box: Sandbox;
let api: DtmClient;

beforeAll(async () => {
  box = await sandbox({ tasks: 60 });
  api = new DtmClient({ baseUrl: box.url });
  await Promise.all([box.login(), api.auth.login({ username: box.username, password: box.password })]);
});
afterAll(async () => {
  await box.stop();
});

describe('dtm sprint list', () => {
  it('prints tab-separated rows when piped; --active, --status and --project filter', async () => {
    const [active, planned, project] = await Promise.all([
      box.run(['sprint', 'list', '--active']),
      box.run(['sprint', 'list', '--status', 'planned']),
      box.run(['sprint', 'list', '--project', 'PRJ-002']),
    ]);
    const rows = (text: string): string[][] => text.trimEnd().split('\n').map((line) => line.split('\t'));
    expect(active.code, active.stderr).toBe(0);
    expect(rows(active.stdout).map((row) => [row[0], row[2], row[3]])).toEqual([
      ['SPR-002', 'PRJ-001', 'active'],
      ['SPR-005', 'PRJ-002', 'active'],
      ['SPR-008', 'PRJ-003', 'active'],
    ]);
    expect(rows(active.stdout)[0]?.[1]).toBe('Website relaunch sprint 2');
    expect(rows(planned.stdout).every((row) => row[3] === 'planned')).toBe(true);
    expect(rows(planned.stdout)).toHaveLength(3);
    // Latest start first.
    expect(rows(project.stdout).map((row) => row[0])).toEqual(['SPR-006', 'SPR-005', 'SPR-004']);
  });

  it('--json prints the page (or every sprint with --all), with selectable fields', async () => {
    const [page, all, selected, expected] = await Promise.all([
      box.json<SprintPage>(['sprint', 'list', '--status', 'completed', '--project', 'prj-003', '--limit', '5']),
      box.json<Sprint[]>(['sprint', 'list', '--all']),
      box.run(['sprint', 'list', '--active', '--limit', '2', '--json', 'id,status']),
      api.sprints.list({ limit: 100 }),
    ]);
    expect(page).toMatchObject({ total: 1, limit: 5, offset: 0 });
    expect(page.items).toEqual([await api.sprints.get('SPR-007')]);
    expect(all).toEqual(expected.items);
    expect(all).toHaveLength(9);
    expect(JSON.parse(selected.stdout)).toMatchObject({
      items: [
        { id: 'SPR-002', status: 'active' },
        { id: 'SPR-005', status: 'active' },
      ],
      total: 3,
    });
  });

  it('--active with --status, a bad status, a bad project id → 2; server down → 1', async () => {
    const results = await Promise.all([
      box.run(['sprint', 'list', '--active', '--status', 'planned']),
      box.run(['sprint', 'list', '--status', 'running']),
      box.run(['sprint', 'list', '--project', '001']),
      box.run(['sprint', 'list', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 1]);
    expect(results[0].stderr).toMatch(/^Error: --active and --status cannot be used together\./);
    expect(results[1].stderr).toMatch(/^Error: Expected --status=running to be one of: planned, active, completed/);
    expect(results[2].stderr).toMatch(/^Error: "001" is not a project id for --project\./);
    expect(results[3].stderr).toMatch(/^Error: Cannot reach the DTM API/);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});

describe('dtm sprint show', () => {
  it('prints the details with its tasks counted by status, or the sprint as JSON', async () => {
    const [text, json, selected] = await Promise.all([
      box.run(['sprint', 'show', 'SPR-002']),
      box.json<Sprint>(['sprint', 'show', 'spr-002']),
      box.run(['sprint', 'show', 'SPR-002', '--json', 'status,start_date']),
    ]);
    const sprint = await api.sprints.get('SPR-002');
    const counts: Record<string, number> = { pending: 0, in_progress: 0, blocked: 0, completed: 0, cancelled: 0 };
    let total = 0;
    for await (const task of api.tasks.listAll({ sprint_id: 'SPR-002' })) {
      counts[task.status] = (counts[task.status] ?? 0) + 1;
      total++;
    }
    expect(total).toBeGreaterThan(0);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^name +Website relaunch sprint 2$/m);
    expect(text.stdout).toMatch(/^status +active$/m);
    expect(text.stdout).toContain(`${sprint.start_date} → ${sprint.end_date} (14 days)`);
    expect(text.stdout).toContain(
      `${total} tasks: ${counts.pending} pending, ${counts.in_progress} in progress, ${counts.blocked} blocked, ` +
        `${counts.completed} completed, ${counts.cancelled} cancelled`,
    );
    expect(json).toEqual(sprint);
    expect(JSON.parse(selected.stdout)).toEqual({ status: 'active', start_date: sprint.start_date });
  });

  it('unknown id → 1; bad or missing id → 2; server down → 1; never a stack trace', async () => {
    const results = await Promise.all([
      box.run(['sprint', 'show', 'SPR-999']),
      box.run(['sprint', 'show', 'PRJ-001']),
      box.run(['sprint', 'show']),
      box.run(['sprint', 'show', 'SPR-001', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([1, 2, 2, 1]);
    expect(results[0].stderr).toMatch(/^Error: Sprint SPR-999 was not found\./);
    expect(results[1].stderr).toMatch(/^Error: "PRJ-001" is not a sprint id\./);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});
