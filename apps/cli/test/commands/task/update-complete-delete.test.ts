// dtm task update, complete and delete against the stateful mock.
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';
import { type Api, apiFor, createTask, down, expectFailure, expectUsage, getTask } from './support.js';

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

describe('dtm task update', () => {
  it('changes the given fields (text and --json), honours --expect-version, and explains a stale one', async () => {
    const created = await createTask(api, { title: 'Update me', assignee: 'carol', due_date: '2026-12-24', tags: ['a'] });
    const text = await box.run(['task', 'update', created.id, '--status', 'in_progress', '--clear-due', '--clear-tags', '--expect-version', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`✓ Updated ${created.id}: Update me (version 2)\n`);

    const json = await box.json<Task>(['task', 'update', created.id, '--title', 'Updated', '--clear-assignee', '--if-match', '"2"']);
    expect(json).toMatchObject({ id: created.id, title: 'Updated', status: 'in_progress', assignee: null, due_date: null, tags: [], version: 3 });

    const stale = await box.run(['task', 'update', created.id, '--priority', 'low', '--expect-version', '1']);
    expectFailure(stale, new RegExp(`^Error: ${created.id} has changed since you read it \\(it is now at version 3\\); nothing was changed\\.`));
    expect(stale.stderr).toContain(`dtm task show ${created.id}`);
    expect(await getTask(api, created.id)).toMatchObject({ priority: 'medium', version: 3 });

    const staleJson = await box.run(['task', 'update', created.id, '--priority', 'low', '--expect-version', '2', '--json']);
    expect(staleJson.code).toBe(1);
    expect(JSON.parse(staleJson.stdout)).toMatchObject({ error: { code: 'precondition_failed' } });
  });

  it('needs a change, takes valid values only, and reports unknown ids and a down server', async () => {
    const [nothing, missing, badEnum, contradict, both, unknown, downResult] = await Promise.all([
      box.run(['task', 'update', 'TASK-000003']),
      box.run(['task', 'update']),
      box.run(['task', 'update', 'TASK-000003', '--status', 'done']),
      box.run(['task', 'update', 'TASK-000003', '--assignee', 'bob', '--clear-assignee']),
      box.run(['task', 'update', 'TASK-000003', '--status', 'blocked', '--if-match', '"1"', '--expect-version', '1']),
      box.run(['task', 'update', 'TASK-999999', '--status', 'blocked']),
      box.run(['task', 'update', 'TASK-000003', '--status', 'blocked', ...down]),
    ]);
    expectUsage(nothing, /^Error: Nothing to change\.\nHint: Pass at least one field/);
    expectUsage(missing, /Missing 1 required arg/);
    expectUsage(badEnum, /Expected --status=done to be one of: pending, in_progress, blocked, completed, cancelled/);
    expectUsage(contradict, /^Error: --clear-assignee and --assignee contradict each other; pass one\./);
    expectUsage(both, /^Error: --expect-version and --if-match both name a version; pass one\./);
    expectFailure(unknown, /^Error: Task TASK-999999 was not found\./);
    expectFailure(downResult, /Cannot reach the DTM API/);
  });
});

describe('dtm task complete', () => {
  it('completes with notes (text and --json); a cancelled task is a 409 with the API’s message', async () => {
    const [first, second, cancelled] = await Promise.all([
      createTask(api, { title: 'Finish me' }),
      createTask(api, { title: 'Finish me too' }),
      createTask(api, { title: 'Dropped', status: 'cancelled' }),
    ]);
    const text = await box.run(['task', 'complete', first.id, '--notes', 'Shipped.']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`✓ Completed ${first.id}: Finish me\n`);
    const shown = await getTask(api, first.id);
    expect(shown).toMatchObject({ status: 'completed', completion_notes: 'Shipped.' });
    expect(shown.completed_at).not.toBeNull();

    const json = await box.json<Task>(['task', 'complete', second.id]);
    expect(json).toMatchObject({ id: second.id, status: 'completed', completion_notes: null });

    const refused = await box.run(['task', 'complete', cancelled.id]);
    expectFailure(refused, new RegExp(`^Error: Cannot complete ${cancelled.id}: ${cancelled.id} is cancelled; reopen it`));
  });

  it('bad input is 2; an unknown id or a down server is 1', async () => {
    const [missing, badId, unknown, downResult] = await Promise.all([
      box.run(['task', 'complete']),
      box.run(['task', 'complete', '42']),
      box.run(['task', 'complete', 'TASK-999999']),
      box.run(['task', 'complete', 'TASK-000004', ...down]),
    ]);
    expectUsage(missing, /Missing 1 required arg/);
    expectUsage(badId, /ID must be a task id/);
    expectFailure(unknown, /^Error: Task TASK-999999 was not found\./);
    expectFailure(downResult, /Cannot reach the DTM API/);
  });
});

describe('dtm task delete', () => {
  it('without a terminal it needs --yes (exit 2, nothing deleted); with --yes it deletes (text and --json)', async () => {
    const [one, two] = await Promise.all([createTask(api, { title: 'Delete me' }), createTask(api, { title: 'Delete me too' })]);
    const refused = await box.run(['task', 'delete', one.id]);
    expectUsage(refused, /Cannot ask for confirmation to delete TASK-\d+: there is no terminal to ask\.\nHint: Pass --yes/);
    expect((await getTask(api, one.id)).id).toBe(one.id);

    const text = await box.run(['task', 'delete', one.id, '--yes']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`✓ Deleted ${one.id}\n`);
    const json = await box.json(['task', 'delete', two.id, '-y']);
    expect(json).toEqual({ id: two.id, deleted: true });

    expect((await api('GET', `/api/v1/tasks/${one.id}`)).status).toBe(404);
    const again = await box.run(['task', 'delete', two.id, '--yes']);
    expectFailure(again, new RegExp(`^Error: Task ${two.id} was not found\\.`));
  });

  it.runIf(canRunInTerminal)('on a terminal it shows the task and asks: anything but y keeps it, y deletes it', async () => {
    const [keep, remove] = await Promise.all([createTask(api, { title: 'Ask me' }), createTask(api, { title: 'Ask me too' })]);
    const [no, yes] = await Promise.all([
      runInTerminal(box, ['task', 'delete', keep.id], 'n\n'),
      runInTerminal(box, ['task', 'delete', remove.id], 'y\n'),
    ]);
    const refused = stripVTControlCharacters(no.output);
    expect(no.code, refused).toBe(1);
    expect(refused).toContain(`Delete ${keep.id} "Ask me" (pending)? [y/N]`);
    expect(refused).toContain(`Error: Not deleted: ${keep.id} is unchanged.`);
    expect((await api('GET', `/api/v1/tasks/${keep.id}`)).status).toBe(200);

    const accepted = stripVTControlCharacters(yes.output);
    expect(yes.code, accepted).toBe(0);
    expect(accepted).toContain(`Delete ${remove.id} "Ask me too" (pending)? [y/N]`);
    expect(accepted).toContain(`✓ Deleted ${remove.id}`);
    expect((await api('GET', `/api/v1/tasks/${remove.id}`)).status).toBe(404);
  });

  it('bad input is 2; a down server is 1', async () => {
    const [missing, badId, downResult] = await Promise.all([
      box.run(['task', 'delete', '--yes']),
      box.run(['task', 'delete', 'TASK-1', '--yes']),
      box.run(['task', 'delete', 'TASK-000005', '--yes', ...down]),
    ]);
    expectUsage(missing, /Missing 1 required arg/);
    expectUsage(badId, /ID must be a task id/);
    expectFailure(downResult, /Cannot reach the DTM API/);
  });
});
