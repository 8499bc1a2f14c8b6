// Boolean flags take =true/=false (=1/=0), as gh's do: `--debug=false` is off (oclif alone
// reads it as `--debug` plus an argument "false"), and catch() reads --debug the same way
// when the command line did not parse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../harness.js';

let box: Sandbox;
beforeAll(async () => {
  box = await sandbox({ tasks: 3 });
  await box.login();
});
afterAll(async () => {
  await box.stop();
});

const debugLine = /^debug: GET listTasks → 200/m;
const stackTrace = /\n\s+at /;

describe('dtm … --debug', () => {
  const forms: [string[], boolean][] = [
    [[], false],
    [['--debug'], true],
    [['--debug=true'], true],
    [['--debug=1'], true],
    [['--debug=false'], false],
    [['--debug=0'], false],
  ];
  it.concurrent.each(forms)('task list %j: debug lines %s', async (flags, on) => {
    const result = await box.run(['task', 'list', '--limit', '1', ...flags]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^TASK-000001\t/);
    if (on) expect(result.stderr).toMatch(debugLine);
    else expect(result.stderr).toBe('');
  });

  const unparsed: [string[], boolean][] = [
    [['--debug'], true],
    [['--debug=1'], true],
    [['--debug=false'], false],
    [['--debug=0'], false],
    [['--debug', '--debug=false'], false],
  ];
  it.concurrent.each(unparsed)('a command line that does not parse, with %j: stack trace %s', async (flags, on) => {
    const result = await box.run(['task', 'list', '--bogus', ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: Nonexistent flag: --bogus\nHint: /);
    if (on) expect(result.stderr).toMatch(stackTrace);
    else expect(result.stderr).not.toMatch(stackTrace);
  });

  it('another value is a usage error (also under --json)', async () => {
    const [text, json] = await Promise.all([box.run(['task', 'list', '--debug=maybe']), box.run(['task', 'list', '--debug=maybe', '--json'])]);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^Error: --debug is on or off: pass --debug, --debug=true or --debug=false \(1 or 0\), not "maybe"\./);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'usage', hint: expect.any(String) as unknown } });
  });

  it("a command's own boolean flags take a value too: --yes=false asks (and refuses without a terminal)", async () => {
    const result = await box.run(['project', 'delete', 'PRJ-004', '--yes=false']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: Cannot ask for confirmation to delete PRJ-004: there is no terminal to ask\./);
  });
});
