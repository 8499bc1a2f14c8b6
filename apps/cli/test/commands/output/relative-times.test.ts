// On a terminal, timestamps read "3 hours ago"; piped they are RFC 3339 exactly as the API
// sent them, and --json is untouched. The mock's clock runs three hours behind this test's,
// so what it stamps is three hours (and a few seconds) old; its demo projects and sprints
// were created 90 days before that.
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Project, Sprint, Task } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';

const behind = 3 * 60 * 60 * 1000;
const size = { columns: 120, rows: 500 };

let box: Sandbox;
let task: Task;
beforeAll(async () => {
  box = await sandbox({ tasks: 3, now: () => new Date(Date.now() - behind), accessTokenTtlSeconds: 86_400 });
  await box.login();
  task = await box.json<Task>(['task', 'create', '--title', 'Stamped by a clock behind', '--due', '2027-01-31']);
  await box.json(['task', 'update', task.id, '--status', 'in_progress']);
  task = await box.json<Task>(['task', 'show', task.id]);
});
afterAll(async () => {
  await box.stop();
});

const screen = async (args: string[]): Promise<string> => {
  const result = await runInTerminal(box, args, '', { size });
  expect(result.code, result.output).toBe(0);
  return stripVTControlCharacters(result.output);
};

it.runIf(canRunInTerminal)('task show (and its history) on a terminal: relative times; due dates stay dates', async () => {
  const text = await screen(['task', 'show', task.id, '--history']);
  expect(text).toMatch(/^created +3 hours ago$/m);
  expect(text).toMatch(/^updated +3 hours ago \(version 2\)$/m);
  expect(text).toMatch(/^3 hours ago +demo +updated +status: pending → in_progress/m);
  expect(text).toMatch(/^due +2027-01-31$/m);
  expect(text).not.toContain(task.created_at);
});

it('task show piped: RFC 3339 exactly as the API sent it', async () => {
  const result = await box.run(['task', 'show', task.id, '--history']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^created +${task.created_at.replace(/[.+]/g, '\\$&')}$`, 'm'));
  expect(result.stdout).toMatch(new RegExp(`^updated +${task.updated_at.replace(/[.+]/g, '\\$&')} \\(version 2\\)$`, 'm'));
  expect(result.stdout).not.toContain('ago');
});

it.runIf(canRunInTerminal)('--json on a terminal is untouched', async () => {
  const result = await runInTerminal(box, ['task', 'show', task.id, '--json', 'created_at'], '', { size });
  expect(JSON.parse(result.output)).toEqual({ created_at: task.created_at });
});

it.runIf(canRunInTerminal)('project list and sprint show on a terminal: "3 months ago"; sprint dates stay dates', async () => {
  const projects = await box.json<{ items: Project[] }>(['project', 'list']);
  const project = projects.items[0];
  const list = await screen(['project', 'list']);
  expect(list).toMatch(new RegExp(`^${project?.id ?? '-'} .* 3 months ago `, 'm'));
  expect(list).not.toContain(project?.updated_at ?? '-');

  const sprints = await box.json<{ items: Sprint[] }>(['sprint', 'list', '--active']);
  const sprint = sprints.items[0] as Sprint;
  const shown = await screen(['sprint', 'show', sprint.id]);
  expect(shown).toContain(`${sprint.start_date} → ${sprint.end_date}`);
  expect(shown).toMatch(/^started +3 hours ago$/m);
  expect(shown).toMatch(/^created +3 months ago$/m);
});

it.runIf(canRunInTerminal)('status sync on a terminal: when each kind was last synced, relative; piped: RFC 3339', async () => {
  await box.run(['project', 'sync']);
  const text = await screen(['status', 'sync']);
  expect(text).toMatch(/tasks \d+ \((just now|\d+ minutes? ago)\)/);
  const piped = await box.run(['status', 'sync']);
  expect(piped.stdout).toMatch(/tasks \d+ \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)\)/);
});
