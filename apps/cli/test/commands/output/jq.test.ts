// --jq EXPR (-q) filters the JSON output with jq; --json help lists the fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';

let box: Sandbox;
let taskId: string;
beforeAll(async () => {
  box = await sandbox();
  await box.login();
  const created = await box.json<{ id: string }>(['task', 'create', '--title', 'jq "quoted" title\u001b[31m', '--priority', 'high', '--json']);
  taskId = created.id;
});
afterAll(async () => {
  await box.stop();
});

describe('--jq', () => {
  it('filters a resource with real jq semantics; strings print without quotes, one result per line', async () => {
    const result = await box.run(['task', 'show', taskId, '--jq', '.title, .priority, (.tags | length)']);
    expect(result.code, result.stderr).toBe(0);
    // A pipe gets the server's text exactly, control characters included.
    expect(result.stdout).toBe('jq "quoted" title\u001b[31m\nhigh\n0\n');
  });

  it('-q is its short form and applies after the --json field selection; objects print as JSON', async () => {
    const result = await box.run(['task', 'list', '--json', 'id,priority', '-q', '.items | map(select(.priority == "high")) | first']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: expect.any(String) as string, priority: 'high' });
  });

  it('a filter yielding nothing prints nothing and succeeds', async () => {
    const result = await box.run(['task', 'list', '--jq', '.items[] | select(.id == "none")']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
  });

  it('an expression jq cannot compile is a usage error (exit 2) that names it', async () => {
    const result = await box.run(['task', 'list', '--jq', '.items[']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--jq ".items[" is not a valid jq expression');
  });

  it('a filter failing on the document exits 1 with jq\'s reason; with --json the error is a JSON document', async () => {
    const text = await box.run(['task', 'show', taskId, '--jq', '.title | error("boom")']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('--jq failed on this output: boom');
    const json = await box.run(['task', 'show', taskId, '--json', '--jq', '.title + 1']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe('jq_error');
  });

  it('--search keeps its long form now that -q is --jq', async () => {
    const result = await box.run(['task', 'list', '--search', 'quoted', '-q', '.items[].id']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${taskId}\n`);
  });
});

describe('--json help', () => {
  it('lists the fields --json can select, and exits 0 without calling the API', async () => {
    for (const args of [['task', 'list', '--json', 'help'], ['task', 'list', '--json=help']]) {
      const result = await box.run(args, { env: { DTM_API_URL: 'http://127.0.0.1:9' } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('Fields of `dtm task list --json`');
      expect(result.stdout.split('\n')).toEqual(expect.arrayContaining(['  id', '  title', '  updated_at']));
    }
  });
});

describe('--jq on a change', () => {
  it('a bad expression fails before the API is called: nothing is created', async () => {
    const result = await box.run(['task', 'create', '--title', 'never created', '--jq', '.id[']);
    expect(result.code).toBe(2);
    const found = await box.json<{ total: number }>(['task', 'list', '--search', 'never created', '--json']);
    expect(found.total).toBe(0);
  });
});

describe('dtm api --jq', () => {
  it('filters the answer, also of --paginate; an error body is printed as it came (as gh api)', async () => {
    const one = await box.run(['api', `/api/v1/tasks/${taskId}`, '--jq', '.priority']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe('high\n');
    const all = await box.run(['api', '/api/v1/tasks', '--paginate', '-F', 'limit=1', '-q', '(.items | length) == .total']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe('true\n');
    const missing = await box.run(['api', '/api/v1/tasks/TASK-999999', '--jq', '.title']);
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.stdout) as { status: number }).status).toBe(404);
  });
});
