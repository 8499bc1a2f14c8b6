import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Task, TaskPage } from '@dtm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';
import { apiJson } from './support.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 12 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

const api = <T>(args: string[], stdin?: string): Promise<T> => apiJson<T>(box, args, stdin);

describe('dtm api', () => {
  it('GET puts fields into the query; a query in the path is kept', async () => {
    const [page, fromPath, raw] = await Promise.all([
      api<TaskPage>(['GET', '/api/v1/tasks', '-F', 'limit=3', '-f', 'sort=-id', '-f', 'status[]=pending', '-f', 'status[]=blocked']),
      api<TaskPage>(['get', '/api/v1/tasks?limit=2&offset=1']),
      box.run(['api', 'GET', '/health']),
    ]);
    expect(page.limit).toBe(3);
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((task) => ['pending', 'blocked'].includes(task.status))).toBe(true);
    expect(page.items.map((task) => task.id)).toEqual([...page.items.map((task) => task.id)].sort().reverse());
    expect([fromPath.limit, fromPath.offset, fromPath.items[0]?.id]).toEqual([2, 1, 'TASK-000002']);
    // Pretty-printed JSON on stdout, nothing on stderr.
    expect(raw.stdout).toMatch(/^\{\n {2}"status": "ok",\n/);
    expect(raw.stderr).toBe('');
  });

  it('POST and PATCH send fields as a JSON body (-f strings, -F typed), or --input from a file or stdin', async () => {
    const created = await api<Task>([
      'POST',
      '/api/v1/tasks',
      '-f',
      'title=Made by dtm api',
      '-f',
      'priority=high',
      '-f',
      'tags[]=raw',
      '--raw-field',
      'tags[]=42',
      '-F',
      'estimate_hours=2.5',
      '-F',
      'description=null',
    ]);
    expect(created).toMatchObject({ title: 'Made by dtm api', priority: 'high', tags: ['raw', '42'], estimate_hours: 2.5, description: null });
    const path = `/api/v1/tasks/${created.id}`;

    const patched = await api<Task>(['PATCH', path, '-f', 'assignee=ann', '-F', 'estimate_hours=4', '-H', `If-Match: "${String(created.version)}"`]);
    expect(patched).toMatchObject({ assignee: 'ann', estimate_hours: 4, version: created.version + 1 });

    const file = join(box.dataDir, 'patch.json');
    await writeFile(file, JSON.stringify({ status: 'blocked', tags: ['from-file'] }));
    const fromFile = await api<Task>(['PATCH', path, '--input', file]);
    expect(fromFile).toMatchObject({ status: 'blocked', tags: ['from-file'] });
    const viaStdin = await api<Task>(['PATCH', path, '--input', '-'], JSON.stringify({ status: 'in_progress' }));
    expect(viaStdin.status).toBe('in_progress');

    const shown = await api<Task>(['GET', path]);
    expect(shown).toMatchObject({ id: created.id, status: 'in_progress', assignee: 'ann', tags: ['from-file'] });
  });

  it('an error status prints the problem on stdout, one line on stderr, and exits 1', async () => {
    const [missing, invalid, stale, task] = await Promise.all([
      // --unchecked: without it, a path the contract lacks is a usage error before any request (operations.test.ts).
      box.run(['api', '--unchecked', 'GET', '/api/v1/nothing-here']),
      box.run(['api', 'POST', '/api/v1/tasks', '-F', 'title=5']),
      box.run(['api', 'PATCH', '/api/v1/tasks/TASK-000001', '-f', 'title=x', '-H', 'If-Match: "999"']),
      box.run(['api', 'GET', '/api/v1/tasks/TASK-999999']),
    ]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ status: 404, title: 'Not Found', request_id: expect.stringMatching(/^req_/) as string });
    expect(missing.stderr).toMatch(/^Error: GET \/api\/v1\/nothing-here failed with 404 Not Found: .*\(request req_\w+\)$/m);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ status: 422, errors: [{ field: 'title' }] });
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout)).toMatchObject({ status: 412 });
    expect(task.code).toBe(1);
    expect(JSON.parse(task.stdout)).toMatchObject({ status: 404 });
  });

  it('needs a login for secured paths: exit 4', async () => {
    const result = await box.run(['api', 'GET', '/auth/me'], { env: { DTM_CONFIG_DIR: `${box.configDir}-empty` } });
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 401 });
    expect(result.stderr).toContain('dtm auth login');
  });

  it('an answer over 32 MiB is refused before it is read: one line and a hint, exit 1', async () => {
    // Announces 40 MiB and sends a byte: the CLI must not wait for (or buffer) the rest.
    const huge = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(40 * 1024 * 1024) });
      response.write('[');
    });
    await new Promise<void>((resolve) => huge.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(huge.address() as AddressInfo).port}`;
      const result = await box.run(['api', 'GET', '/api/v1/tasks', '--api-url', url]);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^Error: GET \/api\/v1\/tasks: the answer was larger than 32 MiB \(Content-Length: 41943040 bytes\) \(request req_\w+\)\n/,
      );
      expect(result.stderr).toMatch(/\nHint: Ask for less \(filters, a smaller --limit\); `dtm task export` streams any number of tasks\.\n$/);
    } finally {
      huge.closeAllConnections();
      await new Promise((resolve) => huge.close(resolve));
    }
  });

  it('the error line shows the control characters of the server’s problem instead of obeying them', async () => {
    const evil = createServer((_, response) => {
      response.writeHead(404, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'gone\u001b]0;pwned\u0007 \u009b31mred' }));
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
      const result = await box.run(['api', '/health', '--api-url', url]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('gone^[]0;pwned^G ^[[31mred');
      for (const control of ['\u001b', '\u0007', '\u009b']) expect(result.stderr).not.toContain(control);
      // stdout keeps the JSON exact: JSON escapes them.
      expect(JSON.parse(result.stdout)).toMatchObject({ detail: 'gone\u001b]0;pwned\u0007 \u009b31mred' });
    } finally {
      evil.closeAllConnections();
      await new Promise((resolve) => evil.close(resolve));
    }
  });

  it('rejects a bad method, path, field, header or input with exit code 2, before any request', async () => {
    const cases = [
      ['TRACE', '/health'],
      ['GET', 'api/v1/tasks'],
      ['GET', '/api/v1/tasks', '-f', 'novalue'],
      ['POST', '/api/v1/tasks', '-F', 'meta={broken'],
      ['GET', '/health', '-H', 'not a header'],
      ['GET', '/api/v1/tasks', '--input', '-'],
      ['POST', '/api/v1/tasks', '--input', join(box.dataDir, 'missing.json')],
    ];
    const results = await Promise.all(cases.map((args) => box.run(['api', ...args], { stdin: 'not json' })));
    expect(results.map((result) => result.code)).toEqual(cases.map(() => 2));
    expect(results[0]?.stderr).toContain('Unknown method "TRACE".');
    expect(results[1]?.stderr).toContain('The path must start with "/"');
    for (const result of results) expect(result.stdout).toBe('');
  });
});
