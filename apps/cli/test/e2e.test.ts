// The whole journey of the issue with the built binary, and proof that no secret leaks:
// login → project create → task create → task list --project → task update → task complete
// → project show --include-tasks → sprint burndown → logout.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Burndown, Project, Sprint, Task, TaskPage } from '@dtm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Result, type Sandbox, sandbox } from './harness.js';

let box: Sandbox;
const outputs: Result[] = [];

beforeAll(async () => {
  box = await sandbox({ tasks: 20 });
});
afterAll(async () => {
  await box.stop();
});

async function dtm(args: string[], stdin?: string): Promise<Result> {
  const result = await box.run([...args, '--debug'], stdin === undefined ? {} : { stdin });
  outputs.push(result);
  expect(result.code, `dtm ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

async function dtmJson<T>(args: string[]): Promise<T> {
  return JSON.parse((await dtm([...args, '--json'])).stdout) as T;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('dtm end to end', () => {
  it('runs the journey, and no password or token appears in any output or log', async () => {
    await dtm(['auth', 'login', '--username', box.username, '--password-stdin'], `${box.password}\n`);
    const project = await dtmJson<Project>(['project', 'create', '--name', 'E2E project']);
    const task = await dtmJson<Task>(['task', 'create', '--title', 'Write, "quote" and ship', '--project', project.id, '--priority', 'high']);
    expect(task).toMatchObject({ project_id: project.id, priority: 'high', status: 'pending' });

    const listed = await dtmJson<TaskPage>(['task', 'list', '--project', project.id]);
    expect(listed.items.map((item) => item.id)).toEqual([task.id]);

    const updated = await dtmJson<Task>(['task', 'update', task.id, '--status', 'in_progress', '--assignee', 'demo']);
    expect(updated).toMatchObject({ status: 'in_progress', assignee: 'demo', version: 2 });

    const today = new Date().toISOString().slice(0, 10);
    const sprint = await dtmJson<Sprint>(['sprint', 'create', '--name', 'E2E sprint', '--project', project.id, '--start', today, '--end', today]);
    await dtm(['sprint', 'add-tasks', sprint.id, task.id]);
    await dtm(['sprint', 'start', sprint.id]);

    const completed = await dtmJson<Task>(['task', 'complete', task.id, '--notes', 'Shipped.']);
    expect(completed).toMatchObject({ status: 'completed', completion_notes: 'Shipped.', sprint_id: sprint.id });

    const shown = await dtmJson<{ project: Project; tasks: Task[] }>(['project', 'show', project.id, '--include-tasks']);
    expect(shown.project.id).toBe(project.id);
    expect(shown.tasks.map((item) => [item.id, item.status])).toEqual([[task.id, 'completed']]);

    const burndown = await dtmJson<Burndown>(['sprint', 'burndown', sprint.id]);
    expect(burndown).toMatchObject({ sprint_id: sprint.id, scope: 1 });
    expect(burndown.points).toEqual([{ date: today, remaining: 0, ideal: 0, completed: 1 }]);
    const chart = await dtm(['sprint', 'burndown', sprint.id]);
    expect(chart.stdout).toContain(today);

    await dtm(['auth', 'logout']);
    const after = await box.run(['task', 'list']);
    expect(after.code).toBe(4);
    outputs.push(after);

    // The secrets of this session: the password, and the JWTs the server issued.
    const logs = await Promise.all((await filesUnder(box.dataDir)).map((file) => readFile(file, 'utf8')));
    const configs = await Promise.all((await filesUnder(box.configDir)).map((file) => readFile(file, 'utf8')));
    const everything = [...outputs.flatMap((result) => [result.stdout, result.stderr]), ...logs, ...configs].join('\n');
    expect(everything).not.toContain(box.password);
    expect(everything).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./); // no JWT
    expect(logs.join('')).toContain('"operation":"listTasks"'); // the metrics log was written
  });
});
