// dtm sprint create / update / start / complete / add-tasks, against the stateful mock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Project, type Sprint, type SprintTaskAssignmentResult, type TaskPage } from '@dtm/sdk';
import { addDays, localToday } from '../../../src/lib/calendar.js';
import { type Sandbox, sandbox } from '../../harness.js';

const down = ['--api-url', 'http://127.0.0.1:1'];
const stackTrace = /\n\s+at /;

let box: Sandbox;
let api: DtmClient;
let project: Project;

beforeAll(async () => {
  box = await sandbox({ tasks: 20 });
  api = new DtmClient({ baseUrl: box.url });
  await Promise.all([box.login(), api.auth.login({ username: box.username, password: box.password })]);
  project = await api.projects.create({ name: 'Sprints under test' });
});
afterAll(async () => {
  await box.stop();
});

const create = (name: string, extra: string[] = []): string[] => [
  'sprint',
  'create',
  '--name',
  name,
  '--project',
  project.id,
  '--start',
  '2026-12-01',
  '--end',
  '2026-12-14',
  ...extra,
];

describe('dtm sprint create', () => {
  it('creates a planned sprint and prints it (details, or the sprint as JSON)', async () => {
    const text = await box.run(create('Sprint A', ['--goal', 'Ship it']));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^id +SPR-010$/m);
    expect(text.stdout).toMatch(/^status +planned$/m);
    expect(text.stdout).toMatch(/^dates +2026-12-01 → 2026-12-14 \(14 days\)$/m);
    expect(text.stdout).toMatch(/^goal +Ship it$/m);
    expect(text.stderr).toContain('Created sprint SPR-010 (planned)');
    const json = await box.json<Sprint>(create('Sprint B'));
    expect(json).toMatchObject({ id: 'SPR-011', name: 'Sprint B', project_id: project.id, status: 'planned', goal: null });
    expect(json).toEqual(await api.sprints.get('SPR-011'));
  });

  it('bad or reversed dates, a bad project id, missing flags → 2; unknown project → 1; server down → 1', async () => {
    const base = ['sprint', 'create', '--name', 'X', '--project', project.id];
    const results = await Promise.all([
      box.run([...base, '--start', '2026-13-01', '--end', '2026-12-14']),
      box.run([...base, '--start', '2026-12-14', '--end', '2026-12-01']),
      box.run(['sprint', 'create', '--name', 'X', '--project', 'web', '--start', '2026-12-01', '--end', '2026-12-02']),
      box.run(['sprint', 'create', '--name', 'X', '--start', '2026-12-01', '--end', '2026-12-02']),
      box.run(['sprint', 'create', '--name', 'X', '--project', 'PRJ-999', '--start', '2026-12-01', '--end', '2026-12-02']),
      box.run([...base, '--start', '2026-12-01', '--end', '2026-12-02', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2, 1, 1]);
    expect(results[0].stderr).toMatch(/^Error: --start must be a calendar date YYYY-MM-DD, got "2026-13-01"\./);
    expect(results[1].stderr).toMatch(/^Error: --end 2026-12-01 is before --start 2026-12-14\./);
    expect(results[2].stderr).toMatch(/^Error: "web" is not a project id\./);
    expect(results[4].stderr).toMatch(/^Error: Cannot create the sprint: .*PRJ-999/);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});

describe('dtm sprint create without --start or --end', () => {
  /** Today as the CLI sees it, asked before and after the call: either, should the day change in between. */
  const todays = (before: Date, after: Date): string[] => [localToday(before), localToday(after)];

  it('the plans’ example works: it starts today and lasts 2 weeks; the next one starts the day after it ends', async () => {
    const fresh = await api.projects.create({ name: 'Defaults under test' });
    const before = new Date();
    const first = await box.json<Sprint>(['sprint', 'create', '--name', 'Sprint 1', '--project', fresh.id]);
    const after = new Date();
    expect(todays(before, after)).toContain(first.start_date);
    expect(first.end_date).toBe(addDays(first.start_date, 13));
    const second = await box.json<Sprint>(['sprint', 'create', '--name', 'Sprint 2', '--project', fresh.id, '--length', '10d']);
    expect(second).toMatchObject({ start_date: addDays(first.end_date, 1), end_date: addDays(first.end_date, 10) });
    const later = await box.json<Sprint>(['sprint', 'create', '--name', 'Sprint 3', '--project', fresh.id, '--start', '2030-01-07', '--length', '1w']);
    expect(later).toMatchObject({ start_date: '2030-01-07', end_date: '2030-01-13' });
    const withEnd = await box.json<Sprint>(['sprint', 'create', '--name', 'Sprint 4', '--project', fresh.id, '--end', '2030-02-01']);
    expect(withEnd).toMatchObject({ start_date: '2030-01-14', end_date: '2030-02-01' });
  });

  it('--length with --end, or a bad --length → 2, before anything is sent', async () => {
    const base = ['sprint', 'create', '--name', 'X', '--project', project.id];
    const [both, bad] = await Promise.all([box.run([...base, '--end', '2030-01-01', '--length', '2w']), box.run([...base, '--length', '2 months'])]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^Error: --length and --end cannot be used together\./);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Error: --length must be a number of days or weeks, e.g. 10d or 2w; got "2 months"\./);
  });

  it('offline the project’s sprints come from the local store', async () => {
    const fresh = await api.projects.create({ name: 'Offline defaults under test' });
    await api.sprints.create({ name: 'Far ahead', project_id: fresh.id, start_date: '2031-03-03', end_date: '2031-03-16' });
    expect((await box.run(['sprint', 'list', '--all', '--project', fresh.id])).code).toBe(0);
    const queued = await box.run(['sprint', 'create', '--name', 'Queued', '--project', fresh.id, '--offline', '--json']);
    expect(queued.code, queued.stderr).toBe(3);
    expect(JSON.parse(queued.stdout)).toMatchObject({ start_date: '2031-03-17', end_date: '2031-03-30', status: 'planned' });
  });
});

describe('dtm sprint update', () => {
  it('changes only the given fields; "" clears the goal; --if-match guards against a concurrent change', async () => {
    const sprint = await api.sprints.create({ name: 'To update', project_id: project.id, start_date: '2027-01-04', end_date: '2027-01-15', goal: 'Old' });
    const text = await box.run(['sprint', 'update', sprint.id, '--end', '2027-01-18', '--if-match', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^dates +2027-01-04 → 2027-01-18 \(15 days\)$/m);
    const json = await box.json<Sprint>(['sprint', 'update', sprint.id, '--goal', '', '--name', 'Renamed']);
    expect(json).toMatchObject({ name: 'Renamed', goal: null, end_date: '2027-01-18', version: 3 });
    const results = await Promise.all([
      box.run(['sprint', 'update', sprint.id, '--name', 'Stale', '--if-match', '1']),
      box.run(['sprint', 'update', sprint.id, '--start', '2027-01-20']),
    ]);
    expect(results.map((result) => result.code)).toEqual([1, 1]);
    expect(results[0].stderr).toMatch(new RegExp(`^Error: Sprint ${sprint.id} has changed since it was read; nothing was changed\\.`));
    // The server checks a new start against the stored end.
    expect(results[1].stderr).toMatch(new RegExp(`^Error: Cannot update ${sprint.id}: .*end_date`));
    expect((await api.sprints.get(sprint.id)).name).toBe('Renamed');
  });

  it('no change, bad dates, bad id → 2; unknown id → 1; server down → 1', async () => {
    const results = await Promise.all([
      box.run(['sprint', 'update', 'SPR-001']),
      box.run(['sprint', 'update', 'SPR-001', '--start', '2027-01-32']),
      box.run(['sprint', 'update', 'sprint-1', '--name', 'X']),
      box.run(['sprint', 'update', 'SPR-999', '--name', 'X']),
      box.run(['sprint', 'update', 'SPR-001', '--name', 'X', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 1, 1]);
    expect(results[0].stderr).toMatch(/^Error: Nothing to change\.\nHint: Pass at least one of --name, --goal, --start, --end/);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});

describe('dtm sprint start / complete', () => {
  it('runs the lifecycle: start, a second start in the project → 409 → 1, complete, complete again → 1', async () => {
    const [first, second] = await Promise.all([
      api.sprints.create({ name: 'One', project_id: project.id, start_date: '2027-02-01', end_date: '2027-02-12' }),
      api.sprints.create({ name: 'Two', project_id: project.id, start_date: '2027-02-15', end_date: '2027-02-26' }),
    ]);
    const started = await box.run(['sprint', 'start', first.id]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/^status +active$/m);
    expect(started.stderr).toContain(`Started sprint ${first.id}.`);

    const [conflict, conflictJson, active] = await Promise.all([
      box.run(['sprint', 'start', second.id]),
      box.run(['sprint', 'start', second.id, '--json']),
      box.run(['sprint', 'start', first.id]),
    ]);
    expect(conflict.code).toBe(1);
    // Another sprint of the project is active: that one must be completed first.
    expect(conflict.stderr).toMatch(new RegExp(`^Error: Cannot start ${second.id}: ${first.id} is active in ${project.id}, and a project has one active sprint at a time\\.`));
    expect(conflict.stderr).toContain(`\nHint: Complete ${first.id} first (\`dtm sprint complete ${first.id}\`), then start ${second.id}.`);
    expect(conflict.stderr).not.toMatch(stackTrace);
    // The sprint itself is active: nothing to start, and no advice to complete another one.
    expect(active.code).toBe(1);
    expect(active.stderr).toBe(`Error: ${first.id} is already active.\nHint: Nothing to start; \`dtm sprint complete ${first.id}\` completes it when it is done.\n`);
    expect(conflictJson.code).toBe(1);
    expect(JSON.parse(conflictJson.stdout)).toMatchObject({ error: { code: 'conflict' } });
    expect((await api.sprints.get(second.id)).status).toBe('planned');

    const completed = await box.json<Sprint>(['sprint', 'complete', first.id]);
    expect(completed).toMatchObject({ id: first.id, status: 'completed' });
    expect(completed.completed_at).not.toBeNull();
    const [again, restart, next] = await Promise.all([
      box.run(['sprint', 'complete', first.id]),
      box.run(['sprint', 'start', first.id]),
      box.json<Sprint>(['sprint', 'start', second.id]),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^Error: Cannot complete ${first.id}: ${first.id} is completed`));
    expect(restart.code).toBe(1);
    expect(restart.stderr).toMatch(new RegExp(`^Error: ${first.id} is completed; a completed sprint cannot be started again\\.\nHint: .*dtm sprint create`));
    expect(next).toMatchObject({ id: second.id, status: 'active' });
  });

  it('unknown id → 1; bad or missing id → 2; server down → 1', async () => {
    const results = await Promise.all([
      box.run(['sprint', 'start', 'SPR-999']),
      box.run(['sprint', 'complete', 'SPR-999']),
      box.run(['sprint', 'start']),
      box.run(['sprint', 'complete', 'TASK-000001']),
      box.run(['sprint', 'start', 'SPR-003', ...down]),
      box.run(['sprint', 'complete', 'SPR-002', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([1, 1, 2, 2, 1, 1]);
    expect(results[0].stderr).toMatch(/^Error: Sprint SPR-999 was not found\./);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});

describe('dtm sprint add-tasks', () => {
  it('assigns tasks (variadic ids); `task list --sprint` then shows them', async () => {
    const sprint = await api.sprints.create({ name: 'With tasks', project_id: project.id, start_date: '2027-03-01', end_date: '2027-03-12' });
    const tasks = await Promise.all(['A', 'B', 'C', 'D'].map((title) => api.tasks.create({ title, project_id: project.id })));
    const ids = tasks.map((task) => task.id);
    const text = await box.run(['sprint', 'add-tasks', sprint.id, ids[0] ?? '', ids[1] ?? '', (ids[2] ?? '').toLowerCase(), ids[0] ?? '']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`✓ Added 3 tasks to ${sprint.id}: ${ids.slice(0, 3).join(', ')}\n`);
    const json = await box.json<SprintTaskAssignmentResult>(['sprint', 'add-tasks', sprint.id, ids[3] ?? '']);
    expect(json).toEqual({ sprint_id: sprint.id, task_ids: [ids[3]] });
    const listed = await box.json<TaskPage>(['task', 'list', '--sprint', sprint.id]);
    expect(listed.items.map((task) => task.id).sort()).toEqual([...ids].sort());
  });

  it('no task ids, a bad id or more than 500 → 2; unknown task or sprint → 1; server down → 1', async () => {
    const many = Array.from({ length: 501 }, (_, index) => `TASK-${String(index + 1).padStart(6, '0')}`);
    const results = await Promise.all([
      box.run(['sprint', 'add-tasks', 'SPR-002']),
      box.run(['sprint', 'add-tasks', 'SPR-002', 'TASK-1']),
      box.run(['sprint', 'add-tasks', 'SPR-002', 'TASK-000001', '--bogus']),
      box.run(['sprint', 'add-tasks', 'SPR-002', ...many]),
      box.run(['sprint', 'add-tasks', 'SPR-002', 'TASK-999999']),
      box.run(['sprint', 'add-tasks', 'SPR-999', 'TASK-000001']),
      box.run(['sprint', 'add-tasks', 'SPR-002', 'TASK-000001', ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2, 1, 1, 1]);
    expect(results[0].stderr).toMatch(/^Error: No task ids given\./);
    expect(results[1].stderr).toMatch(/^Error: Not a task id: "TASK-1"\./);
    expect(results[2].stderr).toMatch(/^Error: Nonexistent flag: --bogus/);
    expect(results[3].stderr).toMatch(/^Error: 501 task ids given; at most 500/);
    expect(results[4].stderr).toMatch(/^Error: Cannot add tasks to SPR-\d+: .*TASK-999999/);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});
