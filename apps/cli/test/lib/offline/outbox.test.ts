import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLock } from '../../../src/lib/offline/lock.js';
import { append, compact, isTemporaryId, newEntry, pending, settle, temporaryId, withOutboxLock } from '../../../src/lib/offline/outbox.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dtm-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const create = (title: string) => newEntry({ action: 'create', target: temporaryId(), body: { title } }, 'http://api');

describe('the outbox journal', () => {
  it('keeps changes in order until each is settled, then compacts to nothing', async () => {
    const [a, b, c] = [create('a'), create('b'), create('c')];
    for (const entry of [a, b, c]) await append(dir, entry);
    expect((await pending(dir)).map((entry) => entry.entry)).toEqual([a.entry, b.entry, c.entry]);
    await settle(dir, b, 'applied');
    expect((await pending(dir)).map((entry) => entry.entry)).toEqual([a.entry, c.entry]);
    await compact(dir);
    expect(await pending(dir)).toHaveLength(2);
    await settle(dir, a, 'applied');
    await settle(dir, c, 'conflict');
    await compact(dir);
    await expect(readFile(join(dir, 'outbox.ndjson'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readFile(join(dir, 'outbox-done.ndjson'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('skips a torn last line (a writer killed mid-write) and starts the next change on a line of its own', async () => {
    const a = create('a');
    await append(dir, a);
    await appendFile(join(dir, 'outbox.ndjson'), '{"action":"create","targ');
    const b = create('b');
    await append(dir, b);
    expect((await pending(dir)).map((entry) => entry.entry)).toEqual([a.entry, b.entry]);
  });

  it('temporary ids look like TASK-L and 8 hex digits', () => {
    const id = temporaryId();
    expect(isTemporaryId(id)).toBe(true);
    expect(isTemporaryId('TASK-000123')).toBe(false);
  });
});

describe('the lock', () => {
  it('lets one holder in at a time', async () => {
    const order: string[] = [];
    const hold = (name: string) =>
      withOutboxLock(dir, async () => {
        order.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`${name} out`);
      });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    for (let index = 0; index < order.length; index += 2) expect(order[index + 1]).toBe(order[index]?.replace(' in', ' out'));
  });

  it('takes over the lock of a process that died holding it', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid ?? 0;
    await new Promise((resolve) => child.once('exit', resolve));
    await writeFile(join(dir, 'outbox.lock'), String(pid));
    await expect(withLock(join(dir, 'outbox.lock'), () => Promise.resolve('got it'), { timeoutMs: 2000 })).resolves.toBe('got it');
  });

  it('waits for a live holder and gives up with a clear error', async () => {
    await writeFile(join(dir, 'outbox.lock'), String(process.ppid));
    await expect(withLock(join(dir, 'outbox.lock'), () => Promise.resolve(), { timeoutMs: 100 })).rejects.toThrow(/another dtm process holds .*outbox\.lock/);
  });
});
