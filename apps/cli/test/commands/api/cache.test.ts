// `dtm api --cache DURATION`: GET answers kept on disk per user, served without the API while fresh.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Task } from '@dtm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 3 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

async function title(args: string[]): Promise<string> {
  const result = await box.run(['api', ...args]);
  if (result.code !== 0) throw new Error(`dtm api ${args.join(' ')} exited ${String(result.code)}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as Task).title;
}

/** Runs `work` while the mock refuses connections: only the cache can answer. */
async function whileDown<T>(work: () => Promise<T>): Promise<T> {
  await box.server.setFaults({ down: true });
  try {
    return await work();
  } finally {
    await box.server.setFaults({ down: false });
  }
}

const rename = (id: string, to: string): Promise<unknown> => box.run(['api', 'PATCH', `/api/v1/tasks/${id}`, '-f', `title=${to}`]);

describe('dtm api --cache', () => {
  it('a second call within the duration is answered from the cache, with the API down; -i shows the kept head', async () => {
    await rename('TASK-000001', 'Kept');
    expect(await title(['/api/v1/tasks/TASK-000001', '--cache', '1h'])).toBe('Kept');
    await rename('TASK-000001', 'Changed since');
    const [cached, head] = await whileDown(() =>
      Promise.all([title(['/api/v1/tasks/TASK-000001', '--cache', '1h']), box.run(['api', '-i', '/api/v1/tasks/TASK-000001', '--cache', '60m'])]),
    );
    expect(cached).toBe('Kept');
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
  });

  it('after the duration the call goes to the API, and its answer is kept again', async () => {
    await rename('TASK-000002', 'First');
    expect(await title(['/api/v1/tasks/TASK-000002', '--cache', '1h'])).toBe('First');
    await rename('TASK-000002', 'Second');
    // The entry is older than 1 ms by the time the next process reads it.
    expect(await title(['/api/v1/tasks/TASK-000002', '--cache', '1ms'])).toBe('Second');
    expect(await whileDown(() => title(['/api/v1/tasks/TASK-000002', '--cache', '1h']))).toBe('Second');
  });

  it('keys on the query and the user: another query or user goes to the API', async () => {
    expect(await title(['/api/v1/tasks/TASK-000003', '--cache', '1h'])).toBeTypeOf('string');
    const other = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'USR-999' })).toString('base64url')}.c2ln`;
    const [otherUser, otherQuery] = await whileDown(() =>
      Promise.all([
        box.run(['api', '/api/v1/tasks/TASK-000003', '--cache', '1h', '--timeout', '1s'], { env: { DTM_TOKEN: other } }),
        box.run(['api', '/api/v1/tasks/TASK-000003?fields=id', '--cache', '1h', '--timeout', '1s'], {}),
      ]),
    );
    expect(otherUser.code).toBe(1);
    expect(otherUser.stderr).toContain('cannot reach');
    expect(otherQuery.code).toBe(1);
  });

  it('keeps only 2xx answers, and never the token', async () => {
    const missing = await box.run(['api', '/api/v1/tasks/TASK-999999', '--cache', '1h']);
    expect(missing.code).toBe(1);
    const again = await whileDown(() => box.run(['api', '/api/v1/tasks/TASK-999999', '--cache', '1h', '--timeout', '1s']));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('cannot reach');

    const credentials = JSON.parse(await readFile(join(box.configDir, 'credentials.json'), 'utf8')) as Record<string, { accessToken: string; refreshToken?: string }>;
    const tokens = Object.values(credentials).flatMap((set) => [set.accessToken, set.refreshToken ?? '']).filter((token) => token !== '');
    const dir = join(box.dataDir, '..', 'cache', 'api');
    const files = await readdir(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const token of tokens) expect(text).not.toContain(token);
    }
  });

  it.each([
    { args: ['POST', '/api/v1/tasks', '-f', 'title=x', '--cache', '5m'], message: 'Error: --cache keeps answers to GET requests, not POST.' },
    { args: ['/api/v1/tasks', '--cache', 'soon'], message: 'Error: --cache must be a duration greater than zero, like 60s, 5m or 1h, got "soon".' },
    { args: ['/api/v1/tasks', '--cache', '0s'], message: 'Error: --cache must be a duration greater than zero, like 60s, 5m or 1h, got "0s".' },
  ])('$args: a usage error (exit 2)', async ({ args, message }) => {
    const result = await box.run(['api', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
  });
});
