import { afterEach, describe, expect, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { type BreakerState, CircuitBreaker } from '../../src/core/breaker.js';
import { CircuitOpenError, ConnectionError, NotFoundError } from '../../src/core/errors.js';
import { type TestServer, closedPort, problem, sendJson, startServer, task } from '../support/server.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold, half-opens after the cooldown, and closes on a good trial', () => {
    const time = clock();
    const changes: BreakerState[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: time.now, onStateChange: (s) => changes.push(s) });
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.snapshot()).toEqual({ state: 'closed', failures: 2, openedAt: null });
    breaker.recordFailure();
    expect(breaker.snapshot()).toEqual({ state: 'open', failures: 3, openedAt: 1_000_000 });
    expect(breaker.allowRequest()).toBe(false);

    time.advance(1000);
    expect(breaker.snapshot().state).toBe('half-open');
    expect(breaker.allowRequest()).toBe(true);
    // Only one trial at a time.
    expect(breaker.allowRequest()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.snapshot()).toEqual({ state: 'closed', failures: 0, openedAt: null });
    expect(changes.map((state) => state.state)).toEqual(['closed', 'closed', 'open', 'half-open', 'closed']);
  });

  it('reopens when the trial fails', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 500, now: time.now });
    breaker.recordFailure();
    time.advance(500);
    expect(breaker.allowRequest()).toBe(true);
    breaker.recordFailure();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 1_000_500 });
  });

  it('resets the failure count on success while closed', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.snapshot().state).toBe('closed');
  });

  it('restores a saved state, as another process would', () => {
    const time = clock();
    const saved: BreakerState = { state: 'open', failures: 5, openedAt: time.now() - 100 };
    const breaker = new CircuitBreaker({ state: saved, cooldownMs: 1000, now: time.now });
    expect(breaker.allowRequest()).toBe(false);
    expect(breaker.retryAt()).toBe(time.now() + 900);
  });
});

describe('the client with a breaker', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('fails fast without touching the network once the server is known down', async () => {
    const client = new DtmClient({
      baseUrl: await closedPort(),
      token: 't',
      retries: 0,
      env: {},
      breaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    await expect(client.tasks.list()).rejects.toBeInstanceOf(ConnectionError);
    await expect(client.tasks.list()).rejects.toBeInstanceOf(ConnectionError);
    const error = await client.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).retryAt).toBeGreaterThan(Date.now());
    expect(client.breaker?.snapshot().state).toBe('open');
  });

  it('counts 5xx as failures but not 4xx', async () => {
    let status = 404;
    server = await startServer((_, response) => {
      if (status === 200) sendJson(response, 200, task(1));
      else sendJson(response, status, problem(status, 'x'));
    });
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    const client = new DtmClient({ baseUrl: server.url, token: 't', retries: 0, env: {}, breaker });
    await expect(client.tasks.get('TASK-000001')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.tasks.get('TASK-000001')).rejects.toBeInstanceOf(NotFoundError);
    expect(breaker.snapshot().state).toBe('closed');
    status = 500;
    await expect(client.tasks.get('TASK-000001')).rejects.toThrow();
    await expect(client.tasks.get('TASK-000001')).rejects.toThrow();
    expect(breaker.snapshot().state).toBe('open');
    await expect(client.tasks.get('TASK-000001')).rejects.toBeInstanceOf(CircuitOpenError);
  });
});
