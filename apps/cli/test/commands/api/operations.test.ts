// `dtm api` checks the method and path against the operations of the contract before it sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 2 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

describe('dtm api: operations of the contract', () => {
  it('a path no operation has: exit 2, the closest operations as a hint, nothing sent', async () => {
    // The server is down: an answer could only come from the check.
    await box.server.setFaults({ down: true });
    try {
      const [nosuch, typo] = await Promise.all([box.run(['api', 'GET', '/api/v1/nosuch']), box.run(['api', '/api/v1/sprint'])]);
      expect(nosuch.code).toBe(2);
      expect(nosuch.stdout).toBe('');
      expect(nosuch.stderr).toMatch(/^Error: GET \/api\/v1\/nosuch is not an operation of the DTM API\.\nHint: Closest: \/api\/v1\/tasks \(GET, POST\), /);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain('Error: GET /api/v1/sprint is not an operation of the DTM API.\nHint: Closest: /api/v1/sprints (GET, POST). ');
    } finally {
      await box.server.setFaults({ down: false });
    }
  });

  it('a method the path does not have: exit 2, naming the methods it has', async () => {
    const [put, post] = await Promise.all([
      box.run(['api', 'PUT', '/api/v1/tasks/TASK-000001', '-f', 'title=x']),
      box.run(['api', '-X', 'POST', '/api/v1/tasks/export']),
    ]);
    expect(put.code).toBe(2);
    expect(put.stderr).toMatch(/^Error: PUT is not a method of \/api\/v1\/tasks\/\{task_id\} \(GET, PATCH, DELETE\)\.\n/);
    expect(post.code).toBe(2);
    expect(post.stderr).toMatch(/^Error: POST is not a method of \/api\/v1\/tasks\/export \(GET\)\.\n/);
  });

  it('a known path with an unknown id keeps its not-found answer from the server (exit 1)', async () => {
    const result = await box.run(['api', 'GET', '/api/v1/tasks/TASK-999999']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 404 });
    expect(result.stderr).toMatch(/^Error: GET \/api\/v1\/tasks\/TASK-999999 failed with 404 Not Found: No task with id TASK-999999/);
  });

  it('--unchecked sends it anyway (a newer server, the mock’s /__admin)', async () => {
    const [admin, missing] = await Promise.all([
      box.run(['api', '--unchecked', 'GET', '/__admin/faults']),
      box.run(['api', '--unchecked', 'GET', '/api/v1/nosuch']),
    ]);
    expect(admin.code, admin.stderr).toBe(0);
    expect(JSON.parse(admin.stdout)).toHaveProperty('down', false);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ status: 404 });
  });
});
