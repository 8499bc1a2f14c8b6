// dtm sprint delete, against the stateful mock: online, on a terminal, and queued offline.
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DtmClient, type Project, type Sprint } from '@dtm/sdk';
import { type Result, type Sandbox, sandbox } from '../../harness.js';
import { canRunInTerminal, runInTerminal } from '../../terminal-harness.js';

const stackTrace = /\n\s+at /;
const describeRun = (result: Result): string => `exit ${String(result.code)}\n${result.stdout}${result.stderr}`;

let box: Sandbox;
let api: DtmClient;
let project: Project;

beforeAll(async () => {
  box = await sandbox({ tasks: 5 });
  api = new DtmClient({ baseUrl: box.url, retries: 0 });
  await Promise.all([box.login(), api.auth.login({ username: box.username, password: box.password })]);
  project = await api.projects.create({ name: 'Sprints to delete' });
});
afterEach(async () => {
  await box.server.setFaults({ down: false });
});
afterAll(async () => {
  await box.stop();
});

const newSprint = (name: string): Promise<Sprint> => api.sprints.create({ name, project_id: project.id, start_date: '2027-02-01', end_date: '2027-02-14' });
const gone = (id: string): Promise<unknown> => expect(api.sprints.get(id)).rejects.toMatchObject({ name: 'NotFoundError' });

describe('dtm sprint delete', () => {
  it('deletes with --yes (text and JSON); its tasks stay, outside any sprint', async () => {
    const [one, two] = await Promise.all([newSprint('Delete me'), newSprint('Delete me too')]);
    const task = await api.tasks.create({ title: 'In a doomed sprint', project_id: project.id });
    await api.sprints.assignTasks(one.id, [task.id]);
    const text = await box.run(['sprint', 'delete', one.id, '--yes']);
    expect(text.code, describeRun(text)).toBe(0);
    expect(text.stdout).toBe(`✓ Deleted sprint ${one.id}\n`);
    expect(await box.json(['sprint', 'delete', two.id.toLowerCase(), '-y'])).toEqual({ id: two.id, deleted: true });
    await Promise.all([gone(one.id), gone(two.id)]);
    expect((await api.tasks.get(task.id)).sprint_id).toBeNull();
  });

  it('without a terminal, or with DTM_PROMPT_DISABLED, it needs --yes: exit 2 naming it, nothing deleted', async () => {
    const sprint = await newSprint('Keep me');
    const [piped, disabled, zero] = await Promise.all([
      box.run(['sprint', 'delete', sprint.id]),
      box.run(['sprint', 'delete', sprint.id], { env: { DTM_PROMPT_DISABLED: '1' } }),
      box.run(['sprint', 'delete', sprint.id, '--json']),
    ]);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe(`Error: Cannot ask for confirmation to delete ${sprint.id}: there is no terminal to ask.\nHint: Pass --yes to delete without asking.\n`);
    expect(disabled.code).toBe(2);
    expect(disabled.stderr).toMatch(/: prompts are disabled \(DTM_PROMPT_DISABLED\)\.\nHint: Pass --yes/);
    expect(zero.code).toBe(2);
    expect(JSON.parse(zero.stdout)).toMatchObject({ error: { code: 'usage' } });
    expect((await api.sprints.get(sprint.id)).id).toBe(sprint.id);
  });

  it.runIf(canRunInTerminal)('on a terminal it asks: n keeps the sprint, y deletes it; DTM_PROMPT_DISABLED refuses without asking', async () => {
    const sprint = await newSprint('Ask me');
    const [no, disabled] = await Promise.all([
      runInTerminal(box, ['sprint', 'delete', sprint.id], 'n\n'),
      runInTerminal(box, ['sprint', 'delete', sprint.id], 'y\n', { env: { DTM_PROMPT_DISABLED: 'true' } }),
    ]);
    const refused = stripVTControlCharacters(no.output);
    expect(no.code, refused).toBe(1);
    expect(refused).toContain(`Delete sprint ${sprint.id} "Ask me" (planned)? Its tasks stay, outside any sprint. [y/N]`);
    expect(refused).toContain(`Error: Not deleted: ${sprint.id} is unchanged.`);
    expect(disabled.code).toBe(2);
    expect(stripVTControlCharacters(disabled.output)).not.toContain('[y/N]');
    expect((await api.sprints.get(sprint.id)).id).toBe(sprint.id);
    const yes = await runInTerminal(box, ['sprint', 'delete', sprint.id], 'y\n');
    expect(yes.code, yes.output).toBe(0);
    expect(stripVTControlCharacters(yes.output)).toContain(`✓ Deleted sprint ${sprint.id}`);
    await gone(sprint.id);
  });

  it('unknown id → 1; bad or missing id → 2', async () => {
    const results = await Promise.all([
      box.run(['sprint', 'delete', 'SPR-999', '--yes']),
      box.run(['sprint', 'delete', 'PRJ-001', '--yes']),
      box.run(['sprint', 'delete', '--yes']),
    ]);
    expect(results.map((result) => result.code)).toEqual([1, 2, 2]);
    expect(results[0].stderr).toMatch(/^Error: Sprint SPR-999 was not found\./);
    for (const result of results) expect(result.stderr).not.toMatch(stackTrace);
  });

  it('offline the deletion is queued (exit 3; its tasks leave it in the local store at once), and `dtm sync` sends it', async () => {
    const sprint = await newSprint('Deleted offline');
    const task = await api.tasks.create({ title: 'In a sprint deleted offline', project_id: project.id });
    await api.sprints.assignTasks(sprint.id, [task.id]);
    for (const noun of ['task', 'sprint']) expect((await box.run([noun, 'list', '--all'])).code).toBe(0);
    const queued = await box.run(['sprint', 'delete', sprint.id, '--yes', '--offline', '--json']);
    expect(queued.code, describeRun(queued)).toBe(3);
    expect(JSON.parse(queued.stdout)).toMatchObject({ id: sprint.id, deleted: true });
    expect(queued.stderr).toMatch(/Offline: queued \(--offline\); 1 change waiting for `dtm sync`\./);
    const local = await box.run(['task', 'show', task.id, '--offline', '--json']);
    expect(JSON.parse(local.stdout)).toMatchObject({ id: task.id, sprint_id: null });
    expect((await api.sprints.get(sprint.id)).id).toBe(sprint.id);

    const synced = await box.run(['sync', '--json']);
    expect(synced.code, describeRun(synced)).toBe(0);
    expect(JSON.parse(synced.stdout)).toMatchObject({ applied: 1, conflicts: [], remaining: 0 });
    await gone(sprint.id);
    expect(((await api.tasks.get(task.id))).sprint_id).toBeNull();
  });
});
