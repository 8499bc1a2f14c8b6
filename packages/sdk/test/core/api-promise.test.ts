import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { APIPromise } from '../../src/core/api-promise.js';
import { NotFoundError } from '../../src/core/errors.js';
import { type TestServer, problem, sendJson, startServer, task } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** GET /api/v1/tasks/TASK-000001 → the task with an ETag; 304 to a matching If-None-Match; DELETE → 204; else 404. */
async function api(): Promise<DtmClient> {
  server = await startServer((request, response) => {
    if (request.method === 'DELETE') {
      response.writeHead(204).end();
    } else if (request.url === '/api/v1/tasks/TASK-000001') {
      if (request.headers['if-none-match'] === '"1"') response.writeHead(304, { etag: '"1"' }).end();
      else sendJson(response, 200, task(1), { etag: '"1"' });
    } else if (request.url === '/auth/login') {
      sendJson(response, 200, { access_token: 'a1', refresh_token: 'r1', token_type: 'bearer', expires_in: 900 });
    } else {
      sendJson(response, 404, problem(404, 'Not Found', 'no such task'));
    }
  });
  return new DtmClient({ baseUrl: server.url, token: 't', env: {} });
}

describe('APIPromise: every typed call', () => {
  it('awaits to the data; .withResponse() adds the response (its body readable) and the request id sent', async () => {
    const client = await api();
    const call = client.tasks.get('TASK-000001');
    expect(call).toBeInstanceOf(APIPromise);
    expect(await call).toMatchObject({ id: 'TASK-000001' });
    const { data, response, requestId } = await call.withResponse();
    expect(data).toMatchObject({ id: 'TASK-000001', version: 1 });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(await response.json()).toEqual(task(1));
    expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
    expect(server?.requests.map((request) => request.headers['x-request-id'])).toEqual([requestId]);
  });

  it('.asResponse() gives the Response alone; awaiting and asking both still send one request', async () => {
    const client = await api();
    const call = client.tasks.get('TASK-000001');
    const [response, data] = await Promise.all([call.asResponse(), call]);
    expect(await response.text()).toBe(JSON.stringify(task(1)));
    expect(data.id).toBe('TASK-000001');
    expect(server?.requests).toHaveLength(1);
  });

  it('304 and 204 answers: data null / undefined, the response with its status and no body', async () => {
    const client = await api();
    const notModified = await client.tasks.get('TASK-000001', { ifNoneMatch: 1 }).withResponse();
    expect(notModified.data).toBeNull();
    expect(notModified.response.status).toBe(304);
    const deleted = await client.tasks.delete('TASK-000001').withResponse();
    expect(deleted.data).toBeUndefined();
    expect(deleted.response.status).toBe(204);
    expect(await deleted.response.text()).toBe('');
  });

  it('an error rejects the same way through await, .withResponse() and .asResponse(); then() gives a plain promise', async () => {
    const client = await api();
    const call = client.tasks.get('TASK-000404');
    await expect(call).rejects.toBeInstanceOf(NotFoundError);
    await expect(call.withResponse()).rejects.toBeInstanceOf(NotFoundError);
    await expect(call.asResponse()).rejects.toBeInstanceOf(NotFoundError);
    const derived = client.tasks.get('TASK-000001').then((found) => found.id);
    expect(derived).not.toBeInstanceOf(APIPromise);
    expect(await derived).toBe('TASK-000001');
  });

  it('auth.login().withResponse() keeps the tokens too; the types say APIPromise', async () => {
    const client = await api();
    const { data, response } = await client.auth.login({ username: 'demo', password: 'pw' }).withResponse();
    expect(data.access_token).toBe('a1');
    expect(response.status).toBe(200);
    expect(await client.tokenStore.get()).toMatchObject({ accessToken: 'a1', refreshToken: 'r1' });
    expectTypeOf(client.tasks.list()).toExtend<APIPromise<{ total: number }>>();
    expectTypeOf(client.health()).toExtend<APIPromise<{ status: 'ok' | 'degraded' | 'down' }>>();
  });
});
