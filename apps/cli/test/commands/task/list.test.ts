import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskPage } from '@dtm/sdk';
import { type Sandbox, sandbox } from '../../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 40 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

describe('dtm task list', () => {
  it('prints tab-separated rows when piped, one per task', async () => {
    const result = await box.run(['task', 'list', '--limit', '5']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]?.split('\t')[0]).toBe('TASK-000001');
  });

  it('--json prints the page, and --json id,status keeps only those fields', async () => {
    const page = await box.json<TaskPage>(['task', 'list', '--status', 'pending,blocked', '--limit', '100']);
    expect(page.items.every((task) => ['pending', 'blocked'].includes(task.status))).toBe(true);
    const result = await box.run(['task', 'list', '--limit', '2', '--json', 'id,status']);
    expect(result.code).toBe(0);
    const selected = JSON.parse(result.stdout) as { items: Record<string, unknown>[] };
    expect(selected.items.map((task) => Object.keys(task))).toEqual([
      ['id', 'status'],
      ['id', 'status'],
    ]);
    expect(result.stderr).toBe('');
  });

  it('rejects a bad status with exit code 2 and one line, no stack trace', async () => {
    const result = await box.run(['task', 'list', '--status', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: Expected --status=nope to be one of/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('needs a login: exit code 4 with a hint', async () => {
    const result = await box.run(['task', 'list'], { env: { DTM_CONFIG_DIR: `${box.configDir}-empty` } });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('dtm auth login');
  });
});
