// On a terminal, a table fits its width: the title column is cut first (ending in `…`), ids
// never are. Piped, every row is whole.
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Task } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';

const title = 'Migrate the billing exports to the new warehouse schema and retire the old nightly job';

let box: Sandbox;
let task: Task;
beforeAll(async () => {
  box = await sandbox({ tasks: 12 });
  await box.login();
  task = await box.json<Task>(['task', 'create', '--title', title, '--assignee', 'alexandra', '--project', 'PRJ-001', '--priority', 'critical', '--due', '2027-01-31']);
});
afterAll(async () => {
  await box.stop();
});

it.runIf(canRunInTerminal)('a long task list at 80 columns has no line longer than 80, and the title ends in …', async () => {
  const result = await runInTerminal(box, ['task', 'list', '--limit', '100'], '', { size: { columns: 80, rows: 200 } });
  expect(result.code, result.output).toBe(0);
  const lines = stripVTControlCharacters(result.output).trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(10);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  const row = lines.find((line) => line.startsWith(task.id));
  expect(row).toMatch(/^TASK-\d+ {2}Migrate the [a-z ]*… {2}/);
  expect(row).toContain('alexandra');
  expect(row).toContain('2027-01-31');
});

it.runIf(canRunInTerminal)('a wide terminal shows the title up to its 48 columns', async () => {
  const result = await runInTerminal(box, ['task', 'list', '--limit', '100'], '', { size: { columns: 200, rows: 200 } });
  const row = stripVTControlCharacters(result.output).split('\n').find((line) => line.startsWith(task.id));
  expect(row).toContain(`${title.slice(0, 47)}…`);
});

it('piped, rows are never cut: the whole title and assignee', async () => {
  const result = await box.run(['task', 'list', '--limit', '100']);
  expect(result.code, result.stderr).toBe(0);
  const row = result.stdout.split('\n').find((line) => line.startsWith(task.id));
  expect(row?.split('\t')).toEqual([task.id, title, 'pending', 'critical', 'PRJ-001', '', 'alexandra', '2027-01-31']);
});
