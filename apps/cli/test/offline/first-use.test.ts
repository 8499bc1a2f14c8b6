// Several dtm processes using a data dir for the first time at the same moment: each creates
// and migrates the same new store file, and every command must still succeed (the migration
// is applied once, under the write lock).
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 3 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

it('six commands at once on a new data dir all succeed, three times over', async () => {
  for (let round = 0; round < 3; round++) {
    const env = { DTM_DATA_DIR: join(box.dataDir, `first-use-${round}`) };
    const results = await Promise.all(Array.from({ length: 6 }, () => box.run(['project', 'list', '--json'], { env })));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    }
  }
});
