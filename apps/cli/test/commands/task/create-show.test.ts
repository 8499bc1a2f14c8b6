// dtm task create and dtm task show against the stateful mock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task, TaskHistoryEntry } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';
import { type Api, apiFor, down, expectFailure, expectUsage, getTask } from './support.js';

let box: Sandbox;
let api: Api;
beforeAll(async () => {
  box = await sandbox({ tasks: 40 });
  await box.login();
  api = await apiFor(box);
});
afterAll(async () => {
  await box.stop();
});

describe('dtm task create', () => {
  it('prints "✓ Created ID: title" as the first line; --json prints the whole task', async () => {
    const text = await box.run([
      'task',
      'create',
      '--title',
      'Write the release notes',
      '--priority',
      'high',
      '--project',
      'PRJ-001',
      '--assignee',
      'alice',
      '--tag',
      'docs,release',
      '--tag',
      'ux',
      '--due',
      '2026-12-01',
      '--estimate',
      '2.5',
      '--description',
      'Cover the export command.',
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^✓ Created TASK-\d{6}: Write the release notes\n$/);
    const id = /TASK-\d{6}/.exec(text.stdout)?.[0] ?? '';
    const created = await getTask(api, id);
    expect(created).toMatchObject({
      title: 'Write the release notes',
      description: 'Cover the export command.',
      status: 'pending',
      priority: 'high',
      project_id: 'PRJ-001',
      assignee: 'alice',
      tags: ['docs', 'release', 'ux'],
      due_date: '2026-12-01',
      estimate_hours: 2.5,
      version: 1,
    });

    const json = await box.run(['task', 'create', '--title', 'Triage, "bugs"', '--status', 'blocked', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    const task = JSON.parse(json.stdout) as Task;
    expect(task).toMatchObject({ title: 'Triage, "bugs"', status: 'blocked', priority: 'medium', project_id: null });
    expect(task.id).toMatch(/^TASK-\d{6}$/);
  });

  it('bad input is exit code 2; the API refusing it or being down is 1', async () => {
    const [missing, badEnum, badDate, badProject, badEstimate, unknownProject, downResult] = await Promise.all([
      box.run(['task', 'create']),
      box.run(['task', 'create', '--title', 'x', '--priority', 'urgent']),
      box.run(['task', 'create', '--title', 'x', '--due', '2026-02-30']),
      box.run(['task', 'create', '--title', 'x', '--project', 'website']),
      box.run(['task', 'create', '--title', 'x', '--estimate', 'soon']),
      box.run(['task', 'create', '--title', 'x', '--project', 'PRJ-999']),
      box.run(['task', 'create', '--title', 'x', ...down]),
    ]);
    expectUsage(missing, /^Error: Missing required flag title\nHint: See `--help`/);
    expectUsage(badEnum, /Expected --priority=urgent to be one of: low, medium, high, critical/);
    expectUsage(badDate, /--due must be a date as YYYY-MM-DD, got "2026-02-30"/);
    expectUsage(badProject, /--project must be a project id like PRJ-001/);
    expectUsage(badEstimate, /--estimate must be a number of hours/);
    // The API's 422 is a failure (1) with its message.
    expectFailure(unknownProject, /project_id refers to PRJ-999, which does not exist/);
    expectFailure(downResult, /Cannot reach the DTM API at http:\/\/127\.0\.0\.1:1/);
  });
});

describe('dtm task show', () => {
  it('prints the details, and with --history the audit trail (text and --json)', async () => {
    const text = await box.run(['task', 'show', 'TASK-000001']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('id           TASK-000001');
    expect(text.stdout).toMatch(/^status\s+\S+$/m);
    expect(text.stdout).not.toContain('History');

    const before = await getTask(api, 'TASK-000001');
    const priority = before.priority === 'critical' ? 'low' : 'critical';
    expect((await api('PATCH', '/api/v1/tasks/TASK-000001', { assignee: 'bob', priority })).status).toBe(200);
    const withHistory = await box.run(['task', 'show', 'TASK-000001', '--history']);
    expect(withHistory.code, withHistory.stderr).toBe(0);
    expect(withHistory.stdout).toMatch(/\n\nHistory \(\d+ entr(y|ies)\)\n/);
    const last = withHistory.stdout.trimEnd().split('\n').at(-1)?.split('\t') ?? [];
    expect(last.slice(1, 3)).toEqual(['demo', 'updated']);
    expect(last[3]).toMatch(/assignee: .* → bob/);
    expect(last[3]).toContain(`priority: ${before.priority} → ${priority}`);

    const json = await box.json<Task & { history: TaskHistoryEntry[] }>(['task', 'show', 'TASK-000001', '--history']);
    expect(json.id).toBe('TASK-000001');
    expect(json.assignee).toBe('bob');
    expect(json.history[0]?.action).toBe('created');
    expect(json.history.at(-1)?.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'assignee', to: 'bob' }),
        expect.objectContaining({ field: 'priority', to: priority }),
      ]),
    );
    const selected = await box.run(['task', 'show', 'TASK-000001', '--json', 'id,version']);
    expect(selected.code, selected.stderr).toBe(0);
    expect(JSON.parse(selected.stdout)).toEqual({ id: 'TASK-000001', version: before.version + 1 });
  });

  it('--verbose prints every field and the history; offline the fields and a note (exit 3), where --history fails', async () => {
    const text = await box.run(['task', 'show', 'TASK-000002', '--verbose']);
    expect(text.code, text.stderr).toBe(0);
    for (const field of ['id', 'title', 'description', 'status', 'priority', 'tags', 'due', 'estimate', 'created', 'updated']) {
      expect(text.stdout).toMatch(new RegExp(`^${field} +\\S`, 'm'));
    }
    expect(text.stdout).toMatch(/\(version \d+\)/);
    expect(text.stdout).toMatch(/\n\nHistory \(\d+ entr(y|ies)\)\n/);
    const json = await box.json<Task & { history: TaskHistoryEntry[] }>(['task', 'show', 'TASK-000002', '--verbose']);
    expect(json).toMatchObject({ id: 'TASK-000002', version: expect.any(Number) as number });
    expect(json.history[0]?.action).toBe('created');

    const [local, strict] = await Promise.all([
      box.run(['task', 'show', 'TASK-000002', '--verbose', '--offline', '--json']),
      box.run(['task', 'show', 'TASK-000002', '--history', '--offline']),
    ]);
    expect(local.code, local.stderr).toBe(3);
    expect(JSON.parse(local.stdout)).toMatchObject({ id: 'TASK-000002', source: 'local' });
    expect(JSON.parse(local.stdout)).not.toHaveProperty('history');
    const offlineText = await box.run(['task', 'show', 'TASK-000002', '--verbose', '--offline']);
    expect(offlineText.stderr).toContain('The history of a task needs the API');
    expect(strict.code).toBe(1);
  });

  it('bad input is exit code 2; an unknown id or a server that is down is 1, with one line and no stack', async () => {
    const [missing, badId, unknown, unknownJson, downResult] = await Promise.all([
      box.run(['task', 'show']),
      box.run(['task', 'show', 'nope']),
      box.run(['task', 'show', 'TASK-999999']),
      box.run(['task', 'show', 'TASK-999999', '--json']),
      box.run(['task', 'show', 'TASK-000001', ...down]),
    ]);
    expectUsage(missing, /Missing 1 required arg/);
    expectUsage(badId, /ID must be a task id like TASK-000123 \(or TASK-L… for one created offline\), got "nope"/);
    expectFailure(unknown, /^Error: Task TASK-999999 was not found\.\nHint: `dtm task list` shows the tasks/);
    expect(unknownJson.code).toBe(1);
    expect(JSON.parse(unknownJson.stdout)).toMatchObject({ error: { code: 'not_found', status: 404 } });
    expectFailure(downResult, /Cannot reach the DTM API/);
  });
});
