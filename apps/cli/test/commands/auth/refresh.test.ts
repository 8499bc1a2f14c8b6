// The access token expired: calls made at once, in one process or in several, refresh it once
// between them (the refresh token rotates; a second use would revoke the session).
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 5 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

const credentialsFile = (): string => join(box.configDir, 'credentials.json');

type Stored = Record<string, { accessToken: string; refreshToken?: string }>;

/** As after the access token expired: the server no longer takes it; the refresh token still works. */
async function expireAccessToken(): Promise<string> {
  const all = JSON.parse(await readFile(credentialsFile(), 'utf8')) as Stored;
  const tokens = all[box.url];
  if (tokens === undefined) throw new Error('not logged in');
  tokens.accessToken = 'expired-access-token';
  await writeFile(credentialsFile(), JSON.stringify(all));
  return tokens.refreshToken ?? '';
}

async function storedTokens(): Promise<{ accessToken: string; refreshToken?: string }> {
  const tokens = (JSON.parse(await readFile(credentialsFile(), 'utf8')) as Stored)[box.url];
  if (tokens === undefined) throw new Error('not logged in');
  return tokens;
}

describe('refresh after the access token expired', () => {
  beforeEach(async () => {
    await box.login();
  });

  it('task show --history (two calls at once) refreshes once, succeeds, and leaves no temporary file', async () => {
    const before = await expireAccessToken();
    const shown = await box.run(['task', 'show', 'TASK-000001', '--history', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: 'TASK-000001', history: expect.any(Array) as unknown });
    const after = await storedTokens();
    expect(after.accessToken).not.toBe('expired-access-token');
    expect(after.refreshToken).not.toBe(before);
    expect((await readdir(box.configDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // The session lives on.
    expect((await box.run(['task', 'list', '--json'])).code).toBe(0);
  });

  it('four dtm processes refreshing at the same moment share one refresh: all succeed, the session lives on', async () => {
    await expireAccessToken();
    // Every answer takes a second, so the four 401s, and the refreshes they would start, overlap.
    await box.server.setFaults({ latencyMs: 1000 });
    let results;
    try {
      results = await Promise.all(Array.from({ length: 4 }, () => box.run(['task', 'list', '--limit', '2', '--json'])));
    } finally {
      await box.server.setFaults({ latencyMs: 0 });
    }
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    expect((await readdir(box.configDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const later = await box.run(['task', 'show', 'TASK-000002', '--json']);
    expect(later.code, later.stderr).toBe(0);
  });
});
