import { describe, expect, it } from 'vitest';
import { type LoggedRequest, RequestLog } from '../../src/engines/stateful/request-log.js';
import { expectProblem, serverForFile } from './harness.js';

// GET /__admin/requests reads back the last requests; DELETE clears them.

const entry = (n: number): LoggedRequest => ({
  time: '2026-12-01T00:00:00.000Z',
  method: 'GET',
  path: `/health?n=${n}`,
  status: 200,
  durationMs: 1,
  requestId: `req_${n}`,
});

describe('RequestLog', () => {
  it('keeps the last `capacity` entries, newest first', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 5; n++) log.record(entry(n));
    expect(log.newest(10).map((logged) => logged.requestId)).toEqual(['req_5', 'req_4', 'req_3']);
    expect(log.newest(2).map((logged) => logged.requestId)).toEqual(['req_5', 'req_4']);
    log.clear();
    expect(log.newest(10)).toEqual([]);
    log.record(entry(6));
    expect(log.newest(10).map((logged) => logged.requestId)).toEqual(['req_6']);
  });
});

const live = serverForFile();

async function logged(limit?: number): Promise<LoggedRequest[]> {
  const answer = await live.api.get('/__admin/requests', limit === undefined ? {} : { query: { limit } });
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { items: LoggedRequest[] }).items;
}

describe('/__admin/requests', () => {
  it('lists the requests newest first, with what a client needs to debug and nothing secret', async () => {
    expect((await live.api.request('DELETE', '/__admin/requests')).status).toBe(204);
    const created = await live.api.post('/api/v1/tasks', { title: 'secret-body-text' }, { headers: { 'x-request-id': 'req-log-1' } });
    expect(created.status).toBe(201);
    await live.api.get('/api/v1/tasks', { query: { status: 'pending', limit: 5 } });
    await live.api.get('/health', { headers: { 'x-dtm-fault': 'status=503' } });

    const items = await logged();
    expect(items.map(({ method, path, status }) => [method, path, status])).toEqual([
      ['GET', '/health', 503],
      ['GET', '/api/v1/tasks?status=pending&limit=5', 200],
      ['POST', '/api/v1/tasks', 201],
    ]);
    expect(items[0]?.faults).toEqual({ status: 503 });
    expect(items[1]?.faults).toBeUndefined();
    const post = items[2] as LoggedRequest;
    expect(post.requestId).toBe('req-log-1');
    expect(post.durationMs).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(post.time))).toBe(false);
    // Never headers (the bearer token) nor bodies.
    const text = JSON.stringify(items);
    expect(text).not.toContain(live.api.token as string);
    expect(text).not.toContain('secret-body-text');
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('logs a dropped request with status null, and never the admin requests', async () => {
    await live.api.request('DELETE', '/__admin/requests');
    await live.api.get('/health', { headers: { 'x-dtm-fault': 'drop' } }).catch(() => undefined);
    await live.api.get('/__admin/faults');
    expect(await logged()).toEqual([expect.objectContaining({ path: '/health', status: null, faults: { drop: true } })]);
  });

  it('answers limit entries (default 50), and a 400 problem for a bad limit', async () => {
    await live.api.request('DELETE', '/__admin/requests');
    for (let i = 0; i < 55; i++) await live.api.get(`/health?i=${i}`);
    expect(await logged()).toHaveLength(50);
    const two = await logged(2);
    expect(two.map((item) => item.path)).toEqual(['/health?i=54', '/health?i=53']);
    for (const limit of [0, 1001]) {
      expect(expectProblem(await live.api.get('/__admin/requests', { query: { limit } }), 400).detail).toMatch(/limit/);
    }
    expectProblem(await live.api.get('/__admin/requests?limit=abc'), 400);
  });

  it('DELETE clears the log', async () => {
    await live.api.get('/health');
    expect((await live.api.request('DELETE', '/__admin/requests')).status).toBe(204);
    expect(await logged()).toEqual([]);
  });
});
