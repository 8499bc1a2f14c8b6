// client.changes against the stateful mock: the feed from the beginning and after a cursor,
// pages() walking until has_more is false, long-polls that outlast the client's timeout,
// and CursorExpiredError for a cursor of another server instance.
import { type RunningMockServer, startMockServer } from '@dtm/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient } from '../../src/client.js';
import { CursorExpiredError, isCursorExpiredError } from '../../src/core/errors.js';
import type { components } from '../../src/generated/openapi.js';

type ChangePage = components['schemas']['ChangePage'];

const user = { username: 'feed', password: 'feed-password-123', roles: ['admin' as const] };
let server: RunningMockServer;
let client: DtmClient;

async function loggedIn(url: string, options: ConstructorParameters<typeof DtmClient>[0] = {}): Promise<DtmClient> {
  const made = new DtmClient({ baseUrl: url, env: {}, breaker: false, ...options });
  await made.auth.login({ username: user.username, password: user.password });
  return made;
}

async function collect(pages: AsyncIterable<ChangePage>): Promise<ChangePage[]> {
  const all: ChangePage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

beforeAll(async () => {
  server = await startMockServer({ users: [user], tasks: 30 });
  client = await loggedIn(server.url);
});

afterAll(async () => {
  await server.stop();
});

describe('client.changes.list', () => {
  it('reads the feed from the beginning: every record once, validated', async () => {
    const page = await client.changes.list({ limit: 1000 });
    expect(page.has_more).toBe(false);
    const tasks = page.items.filter((change) => change.kind === 'task');
    expect(tasks).toHaveLength(30);
    expect(new Set(page.items.map((change) => `${change.kind}:${change.id}`)).size).toBe(page.items.length);
    expect(page.items.every((change) => change.op === 'upsert' && change.record?.id === change.id)).toBe(true);
  });

  it('resumes after a cursor with what changed, deletions as tombstones', async () => {
    const { next_cursor: cursor } = await client.changes.list({ limit: 1000 });
    const created = await client.tasks.create({ title: 'Seen by the feed' });
    await client.tasks.delete('TASK-000001');
    const page = await client.changes.list({ cursor });
    expect(page.items).toEqual([
      { kind: 'task', id: created.id, op: 'upsert', version: 1, changed_at: created.updated_at, record: created },
      { kind: 'task', id: 'TASK-000001', op: 'delete', version: expect.any(Number) as unknown, changed_at: expect.any(String) as unknown },
    ]);
  });

  it('extends the attempt timeout by `wait`: a quiet long-poll answers an empty page, not a TimeoutError', async () => {
    // The server holds the poll for 3 s, longer than the 2 s attempt timeout: only the extension
    // (to 2 + 3 s) lets the empty page arrive. The 2 s margin keeps a busy machine from failing it.
    const patient = await loggedIn(server.url, { timeoutMs: 2_000, retries: 0 });
    const { next_cursor: cursor } = await patient.changes.list({ limit: 1000 });
    const page = await patient.changes.list({ cursor, wait: 3 });
    expect(page).toEqual({ items: [], next_cursor: cursor, has_more: false });
  });

  it('answers a long-poll as soon as a change arrives', async () => {
    const { next_cursor: cursor } = await client.changes.list({ limit: 1000 });
    const waiting = client.changes.list({ cursor, wait: 30 });
    await expect.poll(() => server.longPolls()).toBe(1);
    const task = await client.tasks.create({ title: 'Wakes the long-poll' });
    expect((await waiting).items.map((change) => change.id)).toEqual([task.id]);
  });

  it('raises CursorExpiredError (410) for a cursor another server instance issued', async () => {
    const other = await startMockServer({ users: [user], tasks: 0 });
    try {
      const foreign = (await (await loggedIn(other.url)).changes.list()).next_cursor;
      const error: unknown = await client.changes.list({ cursor: foreign }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CursorExpiredError);
      expect(isCursorExpiredError(error)).toBe(true);
      if (!(error instanceof CursorExpiredError)) throw new Error('not a CursorExpiredError');
      expect(error.status).toBe(410);
      expect(error.operation).toBe('listChanges');
      expect(error.hint).toMatch(/from the beginning/);
    } finally {
      await other.stop();
    }
  });
});

describe('client.changes.pages', () => {
  it('walks page by page until has_more is false; the last next_cursor resumes', async () => {
    const whole = await client.changes.list({ limit: 1000 });
    const pages = await collect(client.changes.pages({ limit: 9 }));
    expect(pages.length).toBe(Math.ceil(whole.items.length / 9));
    expect(pages.slice(0, -1).every((page) => page.has_more && page.items.length === 9)).toBe(true);
    expect(pages.flatMap((page) => page.items)).toEqual(whole.items);
    const last = pages.at(-1);
    expect(last?.has_more).toBe(false);
    expect(last?.next_cursor).toBe(whole.next_cursor);

    const task = await client.tasks.create({ title: 'After the walk' });
    const again = await collect(client.changes.pages({ cursor: last?.next_cursor ?? '' }));
    expect(again.flatMap((page) => page.items.map((change) => change.id))).toEqual([task.id]);
  });

  it('yields one empty page when nothing changed', async () => {
    const { next_cursor: cursor } = await client.changes.list({ limit: 1000 });
    expect(await collect(client.changes.pages({ cursor }))).toEqual([{ items: [], next_cursor: cursor, has_more: false }]);
  });
});
