// Text from the server never reaches the terminal with its control characters: a title with
// `\e]0;pwned\a\e[31m` must not retitle the terminal or change colours. JSON stays exact.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DtmClient } from '@dtm/sdk';
import { type Result, type Sandbox, sandbox } from '../harness.js';

const hostile = '\u001b]0;pwned\u0007\u001b[31mRed\u009b2J\r';
const shown = '^[]0;pwned^G^[[31mRed^[[2J^M';

let box: Sandbox;
let taskId: string;
let projectId: string;
beforeAll(async () => {
  box = await sandbox({ tasks: 2 });
  await box.login();
  const api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await api.auth.login({ username: box.username, password: box.password });
  projectId = (await api.projects.create({ name: `Project ${hostile}`, description: hostile })).id;
  taskId = (await api.tasks.create({ title: `Task ${hostile}`, description: hostile, project_id: projectId })).id;
});
afterAll(async () => {
  await box.stop();
});

// ESC, BEL, CR, CSI: none of them may reach the terminal from the server's text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const raw = /[\u0007\u001b\r\u009b]/;

function expectSafe(result: Result): void {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).not.toMatch(raw);
  expect(result.stderr).not.toMatch(raw);
}

it('task list, task show, project list, project show and a search show the text, not obey it', async () => {
  for (const args of [['task', 'list'], ['task', 'show', taskId], ['project', 'list'], ['project', 'show', projectId], ['task', 'list', '--search', 'pwned']]) {
    const result = await box.run(args);
    expectSafe(result);
    expect(result.stdout, args.join(' ')).toContain(shown.slice(0, 12));
  }
});

it('with colours forced, dtm’s own colours stay and the server’s escapes are still shown', async () => {
  const result = await box.run(['task', 'show', taskId], { env: { FORCE_COLOR: '1' } });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('\u001b[');
  expect(result.stdout).toContain(shown);
  expect(result.stdout).not.toContain('\u001b]0;pwned');
  expect(result.stdout).not.toContain('\u0007');
});

it('--json stays exact: the same characters, escaped by JSON', async () => {
  const result = await box.run(['task', 'show', taskId, '--json']);
  expect(result.code, result.stderr).toBe(0);
  expect((JSON.parse(result.stdout) as { title: string }).title).toBe(`Task ${hostile}`);
});

it('an error whose detail comes from the server (a duplicate project name) is shown safely', async () => {
  const result = await box.run(['project', 'create', '--name', `Project ${hostile}`]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('already named');
  expect(result.stderr).toContain(shown);
  expect(result.stderr).not.toMatch(raw);
});
