// The change feed's log, alone: many changes of a few records make it compact its log (when
// superseded entries outnumber live ones by 1,024); pages, cursors and the snapshot stay right.
import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../../src/engines/stateful/changes.js';
import type { RecordChange } from '../../src/engines/stateful/store.js';

const change = (id: string, version: number, deleted = false): RecordChange => ({
  kind: 'task',
  id,
  version,
  at: `2026-03-01T00:00:${String(version % 60).padStart(2, '0')}.000Z`,
  record: deleted ? undefined : ({ id, version } as unknown as RecordChange['record']),
});

describe('the change log', () => {
  it('keeps each record once, at its latest change, in change order, through compactions', () => {
    const feed = new ChangeFeed();
    for (let version = 1; version <= 3000; version++) {
      feed.record(change('TASK-A', version));
      feed.record(change('TASK-B', version));
      if (version === 1500) feed.record(change('TASK-C', 1));
    }
    feed.record(change('TASK-A', 3001, true));

    const page = feed.page(0, 10);
    expect(page.items.map((item) => `${item.id}:${item.op}:${item.version}`)).toEqual(['TASK-C:upsert:1', 'TASK-B:upsert:3000', 'TASK-A:delete:3001']);
    expect(page.has_more).toBe(false);
    expect(page.next_cursor).toBe(feed.cursorAt(6002));

    // From a cursor in the middle: only what changed after it.
    const after = feed.page(feed.position(feed.cursorAt(6000)), 10);
    expect(after.items.map((item) => item.id)).toEqual(['TASK-B', 'TASK-A']);
    // Pages of one, each record once.
    const first = feed.page(0, 1);
    expect(first).toMatchObject({ has_more: true, next_cursor: feed.cursorAt(3001) });
    expect(feed.page(feed.position(first.next_cursor), 5).items.map((item) => item.id)).toEqual(['TASK-B', 'TASK-A']);

    expect(feed.snapshot().entries).toEqual([
      { kind: 'task', id: 'TASK-C', seq: 3001, version: 1, changed_at: '2026-03-01T00:00:01.000Z', deleted: false },
      { kind: 'task', id: 'TASK-B', seq: 6001, version: 3000, changed_at: '2026-03-01T00:00:00.000Z', deleted: false },
      { kind: 'task', id: 'TASK-A', seq: 6002, version: 3001, changed_at: '2026-03-01T00:00:01.000Z', deleted: true },
    ]);
  });
});
