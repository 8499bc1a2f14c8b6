// dtm task bulk-update against the stateful mock; state is checked over the mock's HTTP API.
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task, TaskPage } from '@dtm/sdk';
import { type Result, type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';
import { type Api, apiFor } from './support.js';

interface BulkResult {
  matched: number;
  updated: number;
  failed: number;
  dry_run: boolean;
  failures: { id: string; status: number | null; message: string }[];
  preview?: { id: string; title: string; changes: { field: string; from: unknown; to: unknown }[] }[];
}

let box: Sandbox;
let api: Api;
beforeAll(async () => {
  box = await sandbox({ tasks: 120 });
  await box.login();
  api = await apiFor(box);
});
afterAll(async () => {
  await box.stop();
});

/** Every task, by id, straight from the server. */
async function allTasks(): Promise<Map<string, Task>> {
  const body = (await api('GET', '/api/v1/tasks?limit=1000')).body as TaskPage;
  return new Map(body.items.map((task) => [task.id, task]));
}

const matching = (tasks: Map<string, Task>, test: (task: Task) => boolean): string[] =>
  [...tasks.values()].filter(test).map((task) => task.id);

function parse(result: Result): BulkResult {
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as BulkResult;
}

describe('dtm task bulk-update', () => {
  it('--dry-run lists what would change (text and --json) and changes nothing', async () => {
    const before = await allTasks();
    const want = matching(before, (task) => task.project_id === 'PRJ-001' && task.status === 'pending');
    expect(want.length).toBeGreaterThan(3);
    const args = ['task', 'bulk-update', '--filter', 'project_id=PRJ-001', '--filter', 'status=pending', '--status', 'completed', '--dry-run'];
    const [text, json] = await Promise.all([box.run(args), box.run([...args, '--json'])]);

    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Dry run: ${want.length} tasks match project_id=PRJ-001 status=pending; nothing was changed.`);
    expect(lines.slice(1).map((line) => line.split('\t')[0])).toEqual(want);
    expect(lines.slice(1).every((line) => line.endsWith('\tstatus: pending → completed'))).toBe(true);

    expect(json.code).toBe(0);
    const result = parse(json);
    expect(result).toMatchObject({ matched: want.length, updated: 0, failed: 0, dry_run: true, failures: [] });
    expect(result.preview?.map((row) => row.id)).toEqual(want);
    expect(result.preview?.[0]?.changes).toEqual([{ field: 'status', from: 'pending', to: 'completed' }]);

    expect(await allTasks()).toEqual(before);
  });

  it('updates exactly the matching tasks, in batches (text), and says so in --json', async () => {
    const before = await allTasks();
    const want = matching(before, (task) => task.project_id === 'PRJ-002' && (task.status === 'pending' || task.status === 'blocked'));
    expect(want.length).toBeGreaterThan(5);
    const text = await box.run([
      'task',
      'bulk-update',
      '--filter',
      'project_id=PRJ-002',
      '--filter',
      'status=pending,blocked',
      '--priority',
      'critical',
      '--assignee',
      'alice',
      '--batch-size',
      '2',
      '--concurrency',
      '3',
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`✓ Updated ${want.length} tasks matching project_id=PRJ-002 status=pending,blocked.\n`);
    expect(text.stderr).toBe('');

    const after = await allTasks();
    for (const [id, task] of after) {
      const old = before.get(id);
      if (want.includes(id)) {
        expect(task).toMatchObject({ priority: 'critical', assignee: 'alice', status: old?.status });
      } else {
        expect(task, id).toEqual(old);
      }
    }

    const wantJson = matching(after, (task) => task.assignee === 'alice' && task.project_id === 'PRJ-002');
    const json = await box.run(['task', 'bulk-update', '--filter', 'assignee=alice', '--filter', 'project_id=PRJ-002', '--clear-assignee', '--json']);
    expect(json.code).toBe(0);
    expect(parse(json)).toEqual({ matched: wantJson.length, updated: wantJson.length, failed: 0, dry_run: false, failures: [] });
    const cleared = await allTasks();
    expect(wantJson.every((id) => cleared.get(id)?.assignee === null)).toBe(true);
  });

  it('reports per-task failures: exit 3 when some fail (--json and text), 1 when all fail', async () => {
    // SPR-002 belongs to PRJ-001: moving tasks of other projects into it fails (422) task by task.
    const before = await allTasks();
    const pending = matching(before, (task) => task.status === 'pending');
    const foreign = matching(before, (task) => task.status === 'pending' && task.project_id !== null && task.project_id !== 'PRJ-001');
    expect(foreign.length).toBeGreaterThan(0);
    expect(foreign.length).toBeLessThan(pending.length);

    const json = await box.run(['task', 'bulk-update', '--filter', 'status=pending', '--sprint', 'SPR-002', '--batch-size', '7', '--json']);
    expect(json.code).toBe(3);
    const result = parse(json);
    expect(result).toMatchObject({ matched: pending.length, updated: pending.length - foreign.length, failed: foreign.length, dry_run: false });
    expect(result.failures.map((failure) => failure.id)).toEqual(foreign);
    for (const failure of result.failures) {
      expect(failure.status).toBe(422);
      expect(failure.message).toMatch(/sprint_id refers to SPR-002, which belongs to PRJ-001, not PRJ-00\d/);
    }
    const after = await allTasks();
    for (const id of pending) expect(after.get(id)?.sprint_id, id).toBe(foreign.includes(id) ? before.get(id)?.sprint_id : 'SPR-002');

    const text = await box.run(['task', 'bulk-update', '--filter', 'status=pending', '--sprint', 'SPR-002']);
    expect(text.code).toBe(3);
    const lines = text.stdout.trimEnd().split('\n');
    const updated = pending.length - foreign.length;
    expect(lines[0]).toBe(`! Updated ${updated} of ${pending.length} tasks matching status=pending; ${foreign.length} failed:`);
    expect(lines.slice(1).map((line) => line.split('\t').slice(0, 2))).toEqual(foreign.map((id) => [id, '422']));

    const allFail = await box.run(
      ['task', 'bulk-update', '--filter', 'project_id=PRJ-003', '--filter', 'status=pending', '--sprint', 'SPR-002', '--json'],
    );
    expect(allFail.code).toBe(1);
    const none = parse(allFail);
    expect(none.updated).toBe(0);
    expect(none.failed).toBe(none.matched);
    expect(none.matched).toBeGreaterThan(0);
  });

  it.runIf(canRunInTerminal)('on a terminal a progress bar runs while the batches go out, then the summary', async () => {
    const want = matching(await allTasks(), (task) => task.project_id === 'PRJ-003');
    const result = await runInTerminal(box, ['task', 'bulk-update', '--filter', 'project_id=PRJ-003', '--priority', 'low', '--batch-size', '5']);
    const output = stripVTControlCharacters(result.output);
    expect(result.code, output).toBe(0);
    expect(output).toMatch(new RegExp(`Updating \\[[=-]+\\] \\d+% \\| \\d+/${want.length} tasks`));
    expect(output).toContain(`✓ Updated ${want.length} tasks matching project_id=PRJ-003.`);
  });

  it('matching nothing is fine (exit 0)', async () => {
    const result = await box.run(['task', 'bulk-update', '--filter', 'q=no such words anywhere', '--status', 'blocked']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('No tasks match q=no such words anywhere; nothing to update.\n');
  });

  it('bad input is exit code 2 (nothing changed); a server that is down is 1', async () => {
    const before = await allTasks();
    const run = (...args: string[]): Promise<Result> => box.run(['task', 'bulk-update', ...args]);
    const results = await Promise.all([
      run('--status', 'blocked'),
      run('--filter', 'project=PRJ-001', '--status', 'blocked'),
      run('--filter', 'status=done', '--status', 'blocked'),
      run('--filter', 'project_id=PRJ-001'),
      run('--filter', 'project_id=PRJ-001', '--status', 'finished'),
      run('--filter', 'project_id=PRJ-001', '--status', 'blocked', '--batch-size', '501'),
      run('--filter', 'project_id=PRJ-001', '--sprint', 'sprint-2'),
      run('--filter', 'project_id=PRJ-001', '--status', 'blocked', '--api-url', 'http://127.0.0.1:1'),
    ]);
    const [noFilter, badKey, badValue, noChange, badEnum, bigBatch, badSprint, down] = results;
    const usage: [Result | undefined, RegExp][] = [
      [noFilter, /^Error: Missing required flag filter\n/],
      [badKey, /--filter "project=PRJ-001": "project" is not a filter\.\nHint: Use key=value with one of: status, priority, project_id/],
      [badValue, /--filter status has "done", which is not one of pending, in_progress, blocked, completed, cancelled/],
      [noChange, /Nothing to change\.\nHint: Pass at least one of --status/],
      [badEnum, /Expected --status=finished to be one of/],
      [bigBatch, /--batch-size/],
      [badSprint, /--sprint must be a sprint id like SPR-001/],
    ];
    for (const [result, message] of usage) {
      expect(result?.code, result?.stderr).toBe(2);
      expect(result?.stdout).toBe('');
      expect(result?.stderr).toMatch(message);
      expect(result?.stderr).not.toMatch(/\n\s+at /);
    }
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^Error: Cannot reach the DTM API/);
    expect(await allTasks()).toEqual(before);
  });
});
