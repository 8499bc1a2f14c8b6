import { describe, expect, it } from 'vitest';
import { expectProblem, serverForFile, start } from './harness.js';

// One request's own faults, from its headers: Prefer: code= (as with Prism) and X-Dtm-Fault.

const live = serverForFile();

const closed = /ECONNRESET|UND_ERR_SOCKET|other side closed|SocketError/;

/** The codes and messages of a rejected fetch's causes. */
async function failureOf(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (error) {
    const parts: string[] = [];
    for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
      parts.push(cause.message, (cause as NodeJS.ErrnoException).code ?? '');
    }
    return parts.join(' ');
  }
  throw new Error('expected the request to fail');
}

describe('Prefer: code=', () => {
  it('answers a status the operation declares, as problem+json with its headers', async () => {
    const health = await live.api.get('/health', { headers: { prefer: 'code=503' } });
    expect(expectProblem(health, 503).detail).toMatch(/injected/i);
    expect(health.headers.get('retry-after')).toBe('1');

    const missing = await live.api.get('/api/v1/tasks', { headers: { prefer: 'code=401' } });
    expectProblem(missing, 401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);

    const invalid = expectProblem(await live.api.post('/api/v1/tasks', { title: 'x' }, { headers: { prefer: 'code=422' } }), 422);
    expect(invalid.errors).toEqual([expect.objectContaining({ field: 'request' })]);
    expect(live.server.taskCount()).toBe(0);
  });

  it('answers 400 naming the possible statuses when the operation does not declare the code', async () => {
    const problem = expectProblem(await live.api.get('/api/v1/tasks', { headers: { prefer: 'code=503' } }), 400);
    expect(problem.detail).toMatch(/code=503/);
    expect(problem.detail).toMatch(/400, 401, 403, 422, 429, 500/);
  });

  it('leaves other preferences alone, and a path that is not an operation answers 404', async () => {
    expect((await live.api.get('/health', { headers: { prefer: 'return=minimal' } })).status).toBe(200);
    expectProblem(await live.api.get('/api/v1/nothing', { headers: { prefer: 'code=500' } }), 404);
  });
});

describe('X-Dtm-Fault', () => {
  it('status=<code> answers that status instead of handling the request', async () => {
    const answer = await live.api.post('/api/v1/tasks', { title: 'never made' }, { headers: { 'x-dtm-fault': 'status=502' } });
    expect(expectProblem(answer, 502).detail).toMatch(/asked for 502/);
    expect(live.server.taskCount()).toBe(0);
  });

  it('latency=<duration> delays the answer', async () => {
    const started = performance.now();
    const answer = await live.api.get('/health', { headers: { 'x-dtm-fault': 'latency=200ms' } });
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('latency and status together: a late error', async () => {
    const started = performance.now();
    expectProblem(await live.api.get('/health', { headers: { 'x-dtm-fault': 'latency=100ms,status=503' } }), 503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('drop closes the connection without an answer, and changes nothing', async () => {
    const failure = await failureOf(live.api.post('/api/v1/tasks', { title: 'dropped' }, { headers: { 'x-dtm-fault': 'drop' } }));
    expect(failure).toMatch(closed);
    expect(live.server.taskCount()).toBe(0);
    expect((await live.api.get('/health')).status).toBe(200);
  });

  it.each([
    ['an unknown part', 'status=503,boom', /"boom"/],
    ['a bad duration', 'latency=soon', /latency=soon/],
    ['a success status', 'status=204', /status=204/],
  ])('answers 400 for %s, naming it', async (_name, header, named) => {
    const problem = expectProblem(await live.api.get('/health', { headers: { 'x-dtm-fault': header } }), 400);
    expect(problem.detail).toMatch(named);
  });

  it('does not touch the admin endpoints', async () => {
    const answer = await live.api.get('/__admin/faults', { headers: { 'x-dtm-fault': 'status=500,drop', prefer: 'code=500' } });
    expect(answer.status).toBe(200);
  });
});

describe('--fault-seed', () => {
  async function statuses(faultSeed: number): Promise<number[]> {
    const other = await start({ faultSeed, faults: { errorRate: 0.5 } });
    try {
      const seen: number[] = [];
      for (let i = 0; i < 50; i++) seen.push((await fetch(`${other.url}/health`)).status);
      return seen;
    } finally {
      await other.stop();
    }
  }

  it('replays the same faults for the same seed and request sequence, and others for another seed', async () => {
    const first = await statuses(7);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await statuses(7)).toEqual(first);
    expect(await statuses(8)).not.toEqual(first);
  });
});
