// dtm sprint burndown on a known data set: the mock's clock is ours, tasks are completed on
// chosen days, and the series, table and chart must show exactly that.
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Burndown, DtmClient, type Sprint } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';

const down = ['--api-url', 'http://127.0.0.1:1'];
const stackTrace = /\n\s+at /;
const coloured = (text: string): boolean => stripVTControlCharacters(text) !== text;

let clock = new Date('2026-03-02T09:00:00Z');
let box: Sandbox;
let sprint: Sprint;

beforeAll(async () => {
  // Tokens must outlive the days the clock moves forward.
  box = await sandbox({ now: () => clock, accessTokenTtlSeconds: 30 * 86_400 });
  const api = new DtmClient({ baseUrl: box.url });
  await Promise.all([box.login(), api.auth.login({ username: box.username, password: box.password })]);
  const project = await api.projects.create({ name: 'Burndown' });
  sprint = await box.json<Sprint>(['sprint', 'create', '--name', 'Week 10', '--project', project.id, '--start', '2026-03-02', '--end', '2026-03-06']);
  const tasks = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((title) => api.tasks.create({ title, project_id: project.id })));
  const ids = tasks.map((task) => task.id);
  await box.json(['sprint', 'add-tasks', sprint.id, ...ids]);
  await box.json(['sprint', 'start', sprint.id]);
  const [a, b, c, , e] = ids as [string, string, string, string, string];
  // A cancelled task is out of scope: 4 tasks.
  await api.tasks.update(e, { status: 'cancelled' });
  // Day 1 (03-02): one done. Day 2 (03-03): none. Day 3 (03-04, today): two done.
  clock = new Date('2026-03-02T15:00:00Z');
  await api.tasks.complete(a);
  clock = new Date('2026-03-04T10:00:00Z');
  await api.tasks.complete(b);
  await api.tasks.complete(c);
  clock = new Date('2026-03-04T18:00:00Z');
});
afterAll(async () => {
  await box.stop();
});

const expected = (id: string): Burndown => ({
  sprint_id: id,
  unit: 'tasks',
  start_date: '2026-03-02',
  end_date: '2026-03-06',
  scope: 4,
  points: [
    { date: '2026-03-02', remaining: 3, ideal: 4, completed: 1 },
    { date: '2026-03-03', remaining: 3, ideal: 3, completed: 0 },
    { date: '2026-03-04', remaining: 1, ideal: 2, completed: 2 },
    { date: '2026-03-05', remaining: null, ideal: 1, completed: null },
    { date: '2026-03-06', remaining: null, ideal: 0, completed: null },
  ],
});

describe('dtm sprint burndown', () => {
  it('--json gives the series: one point per day, nulls for days to come; fields can be selected', async () => {
    const [json, points] = await Promise.all([
      box.json<Burndown>(['sprint', 'burndown', sprint.id]),
      box.run(['sprint', 'burndown', sprint.id, '--json', 'scope,points']),
    ]);
    expect(json).toEqual(expected(sprint.id));
    expect(points.stderr).toBe('');
    expect(JSON.parse(points.stdout)).toEqual({ scope: 4, points: expected(sprint.id).points });
  });

  it('piped: a plain table of days (date, remaining, completed, ideal) on stdout and the summary on stderr', async () => {
    const result = await box.run(['sprint', 'burndown', sprint.id]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      ['2026-03-02\t3\t1\t4', '2026-03-03\t3\t0\t3', '2026-03-04\t1\t2\t2', '2026-03-05\t-\t-\t1', '2026-03-06\t-\t-\t0', ''].join('\n'),
    );
    expect(result.stderr).toBe('Scope 4 tasks · done 3 · remaining 1 (end of 2026-03-04)\n');
  });

  it('--chart draws the chart with a legend, the first and last dates and the summary; colours only when enabled', async () => {
    const [plain, forced, noColor] = await Promise.all([
      box.run(['sprint', 'burndown', sprint.id, '--chart']),
      box.run(['sprint', 'burndown', sprint.id, '--chart'], { env: { FORCE_COLOR: '1' } }),
      box.run(['sprint', 'burndown', sprint.id, '--chart', '--no-color'], { env: { FORCE_COLOR: '1' } }),
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Burndown of ${sprint.id}, 2026-03-02 → 2026-03-06 (tasks)`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {3}2026-03-02 +2026-03-06$/));
    expect(lines).toContainEqual('   ── remaining   ·· ideal');
    expect(lines.at(-1)).toBe('Scope 4 tasks · done 3 · remaining 1 (end of 2026-03-04)');
    // One row per task from 4 down to 0, each on the axis.
    expect(lines.filter((line) => /^ \d ┤/.test(line)).map((line) => line.slice(0, 4))).toEqual([' 4 ┤', ' 3 ┤', ' 2 ┤', ' 1 ┤', ' 0 ┤']);
    expect(coloured(plain.stdout)).toBe(false);
    expect(coloured(forced.stdout)).toBe(true);
    expect(forced.stdout).toContain('\u001b[36m──'); // the remaining line in cyan
    expect(coloured(noColor.stdout)).toBe(false);
    expect(noColor.stdout).toBe(plain.stdout);
  });

  it.runIf(canRunInTerminal)('on a terminal the chart is the default, in colour', async () => {
    const result = await runInTerminal(box, ['sprint', 'burndown', sprint.id]);
    expect(result.code, result.output).toBe(0);
    expect(coloured(result.output)).toBe(true);
    const text = stripVTControlCharacters(result.output);
    expect(text).toContain('── remaining   ·· ideal');
    expect(text).toMatch(/ {3}2026-03-02 +2026-03-06\n/);
    expect(text).toContain('Scope 4 tasks · done 3 · remaining 1 (end of 2026-03-04)');
  });

  it('--no-chart prints the table; unknown sprint → 1; bad or missing id → 2; server down → 1', async () => {
    const results = await Promise.all([
      box.run(['sprint', 'burndown', sprint.id, '--no-chart']),
      box.run(['sprint', 'burndown', 'SPR-999']),
      box.run(['sprint', 'burndown', 'nope']),
      box.run(['sprint', 'burndown']),
      box.run(['sprint', 'burndown', sprint.id, ...down]),
    ]);
    expect(results.map((result) => result.code)).toEqual([0, 1, 2, 2, 1]);
    expect(results[0].stdout.split('\n')[0]).toBe('2026-03-02\t3\t1\t4');
    expect(results[1].stderr).toMatch(/^Error: Sprint SPR-999 was not found\./);
    expect(results[4].stderr).toContain('Cannot reach the DTM API');
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });
});
