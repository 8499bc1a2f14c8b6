// What Fastify or node:http reject before an operation runs is problem+json too, with the
// status it deserves: a long path id, a huge query, a huge body, a body that is not JSON,
// a method the path does not have, a URL that does not decode.
import { describe, expect, it } from 'vitest';
import { expectProblem, postShortBody, serverForFile } from './harness.js';

const live = serverForFile();

describe('path and query', () => {
  it.each([
    ['an id that breaks the pattern', `X${'9'.repeat(300)}`, 422],
    ['an id of the right pattern that does not exist', `TASK-${'9'.repeat(300)}`, 404],
  ])('a 300-character path id, %s, gets the contract answer, not the router 414', async (_name, id, status) => {
    expectProblem(await live.api.get(`/api/v1/tasks/${id}`), status);
  });

  it('answers a 100 KB query with a 431 problem', async () => {
    const answer = await live.api.get('/api/v1/tasks', { query: { q: 'a'.repeat(100_000) } });
    const problem = expectProblem(answer, 431);
    expect(problem.type).toBe('urn:dtm:problem:headers-too-large');
  });

  it('answers a URL that does not decode with a 400 problem', async () => {
    expectProblem(await live.api.get('/api/v1/tasks/%E0%A4%A'), 400);
  });
});

describe('bodies', () => {
  it('answers a 20 MB body with a 413 problem', async () => {
    const answer = await live.api.post('/api/v1/tasks', { title: 'x', description: 'a'.repeat(20 * 1024 * 1024) });
    const problem = expectProblem(answer, 413);
    expect(problem).toMatchObject({ title: 'Content Too Large', instance: '/api/v1/tasks' });
    expect(problem.detail).toContain('10 MB');
  });

  it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded'])('answers a %s body with a 415 problem', async (type) => {
    const before = live.server.taskCount();
    const answer = await live.api.request('POST', '/api/v1/tasks', { rawBody: 'title=x', headers: { 'content-type': type } });
    const problem = expectProblem(answer, 415);
    expect(problem).toMatchObject({ title: 'Unsupported Media Type', instance: '/api/v1/tasks' });
    expect(problem.detail).toContain('application/json');
    expect(live.server.taskCount()).toBe(before);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    expectProblem(await live.api.request('POST', '/api/v1/tasks', { rawBody: '{"title": ' }), 400);
  });
});

describe('methods', () => {
  it.each([
    ['PUT', '/api/v1/tasks/TASK-000001', ['GET', 'HEAD', 'PATCH', 'DELETE']],
    ['DELETE', '/api/v1/tasks', ['GET', 'HEAD', 'POST']],
    ['GET', '/auth/login', ['POST']],
  ])('answers %s %s with a 405 problem and Allow', async (method, path, allowed) => {
    const answer = await live.api.request(method, path);
    expectProblem(answer, 405);
    const allow = (answer.headers.get('allow') ?? '').split(',').map((name) => name.trim());
    expect(allow).toEqual(expect.arrayContaining(allowed));
    expect(allow).not.toContain(method);
  });
});

describe('a declared length over the limit', () => {
  it('answers 413 at once, from Content-Length, without waiting for the body', async () => {
    expectProblem(await postShortBody(live.server, live.api.token, 20 * 1024 * 1024, '{"title":'), 413);
  });
});
