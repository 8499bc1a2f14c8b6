// `dtm auth login` asks only where it can: never without a terminal or with DTM_PROMPT_DISABLED
// (exit 2, naming the flag to use instead).
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox();
});
afterAll(async () => {
  await box.stop();
});

describe('dtm auth login prompts', () => {
  it('without a terminal: no --username → 2 naming --username (the password on stdin is not taken for it); no --password-stdin → 2 naming it', async () => {
    const [noUser, noPassword, disabled] = await Promise.all([
      box.run(['auth', 'login', '--password-stdin'], { stdin: `${box.password}\n` }),
      box.run(['auth', 'login', '--username', box.username]),
      box.run(['auth', 'login', '--username', box.username], { env: { DTM_PROMPT_DISABLED: 'yes' } }),
    ]);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/^Error: Cannot ask for the username: there is no terminal to ask\.\nHint: Pass --username/);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/^Error: Cannot ask for the password: there is no terminal to ask\.\nHint: .*--password-stdin/);
    expect(disabled.code).toBe(2);
    expect(disabled.stderr).toMatch(/^Error: Cannot ask for the password: prompts are disabled \(DTM_PROMPT_DISABLED\)\./);
  });

  it.runIf(canRunInTerminal)('on a terminal DTM_PROMPT_DISABLED asks nothing; 0 or false leave prompts on', async () => {
    const [disabled, enabled] = await Promise.all([
      runInTerminal(box, ['auth', 'login'], '', { env: { DTM_PROMPT_DISABLED: '1' } }),
      runInTerminal(box, ['auth', 'login', '--username', box.username], `${box.password}\n`, { env: { DTM_PROMPT_DISABLED: 'false' } }),
    ]);
    const refused = stripVTControlCharacters(disabled.output);
    expect(disabled.code, refused).toBe(2);
    expect(refused).toContain('Cannot ask for the username: prompts are disabled (DTM_PROMPT_DISABLED).');
    expect(refused).not.toContain('Username:');
    const accepted = stripVTControlCharacters(enabled.output);
    expect(enabled.code, accepted).toBe(0);
    expect(accepted).toContain('Password:');
    // (The password is typed before the prompt turns echo off, so the pseudo-terminal shows it: not checked here.)
    expect(accepted).toContain(`as ${box.username}`);
  });
});
