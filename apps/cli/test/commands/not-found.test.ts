// A mistyped command: one error naming it as typed (with spaces, control characters shown),
// the closest command as a hint, exit code 2; under --json a JSON error on stdout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closestCommand, distance } from '../../src/hooks/command-not-found.js';
import { type Sandbox, sandbox } from '../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox();
});
afterAll(async () => {
  await box.stop();
});

describe('closestCommand', () => {
  const ids = ['task:create', 'task:list', 'task:update', 'sprint:create', 'status:health', 'sync'];
  it('suggests the command a typo is closest to, and nothing for what is no typo', () => {
    expect(distance('task:creat', 'task:create')).toBe(1);
    expect(closestCommand('task:creat', ids)).toBe('task:create');
    expect(closestCommand('task:lsit', ids)).toBe('task:list');
    expect(closestCommand('snyc', ids)).toBe('sync');
    expect(closestCommand('frobnicate', ids)).toBeUndefined();
  });
});

describe('dtm with a command that does not exist', () => {
  it('names it with spaces, suggests the closest one, exit 2', async () => {
    const result = await box.run(['task', 'creat', '--title', 'x']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Error: `dtm task creat` is not a dtm command.\nHint: Did you mean `dtm task create`? (`dtm --help` lists them all.)\n');
  });

  it('shows control characters of what was typed instead of obeying them', async () => {
    const result = await box.run(['tas\u001b]0;pwned\u0007\u001b[31mk']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`dtm tas^[]0;pwned^G^[[31mk` is not a dtm command.');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).not.toContain('\u0007');
  });

  it('under --json prints the error as JSON on stdout', async () => {
    const result = await box.run(['frobnicate', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: 'unknown_command', message: '`dtm frobnicate` is not a dtm command.', hint: 'Run `dtm --help` to see the commands.' } });
  });
});
