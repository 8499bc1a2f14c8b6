// -h is --help, on every command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox();
});
afterAll(async () => {
  await box.stop();
});

describe('-h', () => {
  it('is --help on every command', async () => {
    for (const args of [['config', 'get', '-h'], ['task', 'list', '-h'], ['sync', '-h']]) {
      const result = await box.run(args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('USAGE');
      expect(result.stdout).toContain('-h, --help');
    }
  });
});
