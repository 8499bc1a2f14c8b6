// If-None-Match on getTask, getProject and getSprint: 304 with the ETag and no body when the
// client's copy is current (weak comparison, `*`, lists), the resource otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Sprint, Task } from '../../src/engines/stateful/types.js';
import { type Api, type RunningMockServer, apiAs, expectProblem, start } from './harness.js';

let server: RunningMockServer;
let api: Api;
const paths: Record<string, string> = {};

beforeAll(async () => {
  server = await start();
  api = await apiAs(server);
  const project = (await api.post('/api/v1/projects', { name: 'Conditional' })).body as Project;
  const sprint = (await api.post('/api/v1/sprints', { name: 'Conditional', project_id: project.id, start_date: '2026-03-02', end_date: '2026-03-06' }))
    .body as Sprint;
  const task: Task = await api.createTask({ title: 'Conditional', project_id: project.id });
  paths.task = `/api/v1/tasks/${task.id}`;
  paths.project = `/api/v1/projects/${project.id}`;
  paths.sprint = `/api/v1/sprints/${sprint.id}`;
  // Version 2 of each, so "1" is stale.
  for (const path of Object.values(paths)) expect((await api.patch(path, path.includes('/tasks/') ? { priority: 'high' } : { name: `Conditional ${path}` })).status).toBe(200);
});

afterAll(async () => {
  await server.stop();
});

describe.each(['task', 'project', 'sprint'])('GET one %s with If-None-Match', (kind) => {
  const path = (): string => paths[kind] ?? '';

  it.each(['"2"', 'W/"2"', '*', '"1", "2"', 'W/"7",W/"2"'])('304 without a body for %s', async (ifNoneMatch) => {
    const answer = await api.get(path(), { headers: { 'if-none-match': ifNoneMatch } });
    expect(answer.status).toBe(304);
    expect(answer.text).toBe('');
    expect(answer.headers.get('etag')).toBe('"2"');
    expect(answer.headers.get('x-request-id')).toBeTruthy();
  });

  it.each(['"1"', 'W/"1"', '"3", "12"'])('200 with the resource for %s', async (ifNoneMatch) => {
    const answer = await api.get(path(), { headers: { 'if-none-match': ifNoneMatch } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe('"2"');
    expect(answer.body).toMatchObject({ version: 2 });
  });

  it('404 for an id that does not exist, whatever If-None-Match says', async () => {
    const missing = path().replace(/\d+$/, (digits) => '9'.repeat(digits.length));
    expectProblem(await api.get(missing, { headers: { 'if-none-match': '*' } }), 404);
  });
});
