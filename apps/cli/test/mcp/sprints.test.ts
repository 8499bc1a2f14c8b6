// `dtm mcp`'s sprint tools, bulk_update_tasks and the resources, with the official MCP client
// against the stateful mock: a call of each (the client checks every structured answer against
// the tool's outputSchema), their errors as `dtm` words them, and the same while the mock is down.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../harness.js';
import { type McpSession, startMcp } from './support.js';

let box: Sandbox;
let session: McpSession;
const call: McpSession['call'] = (name, args) => session.call(name, args);
let project = '';
const tasks: string[] = [];

beforeAll(async () => {
  box = await sandbox({ tasks: 4 });
  await box.login();
  session = await startMcp(box);
  project = (await call('create_project', { name: 'Sprints by an agent' })).structuredContent?.result.id ?? '';
  for (const title of ['First of the sprint', 'Second of the sprint']) tasks.push((await call('create_task', { title, project_id: project })).structuredContent?.result.id ?? '');
});
afterAll(async () => {
  await session.close();
  await box.stop();
});

const plan = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, project_id: project, start_date: '2026-11-24', end_date: '2026-12-07', ...extra });
const result = (called: Awaited<ReturnType<typeof call>>): Record<string, unknown> => called.structuredContent?.result ?? {};
const resource = async (uri: string): Promise<Record<string, unknown>> => {
  const { contents } = await session.client.readResource({ uri });
  expect(contents[0]).toMatchObject({ uri, mimeType: 'application/json' });
  return JSON.parse((contents[0] as { text: string }).text) as Record<string, unknown>;
};

describe('sprints, against the API', () => {
  it('create_sprint, list_sprints, get_sprint, update_sprint', async () => {
    const created = await call('create_sprint', plan('Sprint 1', { goal: 'Ship it' }));
    const id = created.structuredContent?.result.id ?? '';
    expect(created.structuredContent).toMatchObject({ result: { name: 'Sprint 1', status: 'planned', goal: 'Ship it', project_id: project }, source: 'api' });
    expect(created.content[0]?.text).toBe(`Created ${id} "Sprint 1" (planned, 2026-11-24 → 2026-12-07, version 1); start it with start_sprint.`);
    const listed = await call('list_sprints', { project_id: project });
    expect(listed.structuredContent?.result.items?.map((sprint) => sprint.id)).toEqual([id]);
    expect(listed.content[0]?.text).toMatch(/^Sprints 1–1 of 1:\nSPR-/);
    expect(result(await call('get_sprint', { sprint_id: id }))).toMatchObject({ id, version: 1 });
    expect(result(await call('update_sprint', { sprint_id: id, goal: null, end_date: '2026-12-08' }))).toMatchObject({ goal: null, end_date: '2026-12-08', version: 2 });
  });

  it('add_sprint_tasks, remove_sprint_tasks, start_sprint, sprint_burndown, complete_sprint, delete_sprint', async () => {
    const id = (await call('create_sprint', plan('Sprint 2'))).structuredContent?.result.id ?? '';
    const added = await call('add_sprint_tasks', { sprint_id: id, task_ids: tasks });
    expect(added.structuredContent).toEqual({ result: { sprint_id: id, task_ids: tasks }, source: 'api' });
    expect(added.content[0]?.text).toBe(`Added 2 tasks to ${id}: ${tasks.join(', ')}`);
    expect(result(await call('get_task', { task_id: tasks[0] }))).toMatchObject({ sprint_id: id });
    const removed = await call('remove_sprint_tasks', { sprint_id: id, task_ids: [tasks[1]] });
    expect(removed.content[0]?.text).toBe(`Took 1 task out of ${id}: ${tasks[1] ?? ''}`);
    expect(result(await call('get_task', { task_id: tasks[1] }))).toMatchObject({ sprint_id: null });
    expect(result(await call('start_sprint', { sprint_id: id }))).toMatchObject({ status: 'active' });
    const burndown = await call('sprint_burndown', { sprint_id: id });
    expect(result(burndown)).toMatchObject({ sprint_id: id, scope: 1, start_date: '2026-11-24', end_date: '2026-12-07' });
    expect(result(burndown).points).toHaveLength(14);
    expect(burndown.content[0]?.text).toMatch(new RegExp(`^${id}, 2026-11-24 → 2026-12-07: scope 1, done 0, remaining 1`));
    expect(result(await call('complete_sprint', { sprint_id: id }))).toMatchObject({ status: 'completed' });
    expect((await call('delete_sprint', { sprint_id: id })).structuredContent).toEqual({ result: { id, deleted: true }, source: 'api' });
    expect((await call('get_sprint', { sprint_id: id })).isError).toBe(true);
  });

  it('errors are the ones `dtm sprint` prints', async () => {
    const backwards = await call('create_sprint', plan('Backwards', { start_date: '2026-12-10', end_date: '2026-12-01' }));
    expect(backwards).toEqual({ isError: true, content: [{ type: 'text', text: 'end_date 2026-12-01 is before start_date 2026-12-10.\nHint: A sprint ends on or after the day it starts.' }] });
    const id = (await call('create_sprint', plan('Sprint 3'))).structuredContent?.result.id ?? '';
    expect((await call('complete_sprint', { sprint_id: id })).content[0]?.text).toMatch(new RegExp(`^Cannot complete ${id}: .*\\nHint: Only an active sprint can be completed`));
    await call('start_sprint', { sprint_id: id });
    const again = await call('start_sprint', { sprint_id: id });
    const cli = await box.run(['sprint', 'start', id, '--json']);
    const { error } = JSON.parse(cli.stdout) as { error: { message: string; hint: string } };
    expect(again).toEqual({ isError: true, content: [{ type: 'text', text: `${error.message}\nHint: ${error.hint}` }] });
    expect((await call('add_sprint_tasks', { sprint_id: id, task_ids: [] })).content[0]?.text).toMatch(/^Invalid arguments for add_sprint_tasks: .*fewer than 1 items/);
    expect((await call('update_sprint', { sprint_id: id })).content[0]?.text).toBe('Nothing to change.\nHint: Pass at least one field, e.g. name or end_date.');
  });
});

describe('bulk_update_tasks', () => {
  it('a dry run answers what would change; then every matching task is changed', async () => {
    const dry = await call('bulk_update_tasks', { filter: { project_id: project }, changes: { priority: 'critical' }, dry_run: true });
    expect(dry.structuredContent?.result).toMatchObject({ matched: 2, updated: 0, failed: 0, dry_run: true, failures: [] });
    expect((dry.structuredContent?.result.preview as { id: string }[]).map((row) => row.id)).toEqual(tasks);
    expect(dry.content[0]?.text).toBe('Dry run: 2 tasks match; nothing was changed.');
    expect(result(await call('get_task', { task_id: tasks[0] }))).toMatchObject({ priority: 'medium' });
    const done = await call('bulk_update_tasks', { filter: { project_id: project }, changes: { priority: 'critical' } });
    expect(done.structuredContent).toMatchObject({ result: { matched: 2, updated: 2, failed: 0, dry_run: false }, source: 'api' });
    expect(done.content[0]?.text).toBe('Updated 2 of 2 tasks matching.');
    const listed = await call('list_tasks', { project_id: project });
    expect(listed.structuredContent?.result.items?.map((task) => (task as { priority?: string }).priority)).toEqual(['critical', 'critical']);
  });

  it('takes at least one filter, and only the fields of update_task', async () => {
    expect((await call('bulk_update_tasks', { filter: {}, changes: { priority: 'low' } })).content[0]?.text).toMatch(/^Invalid arguments for bulk_update_tasks: .*filter must NOT have fewer than 1 properties/);
    expect((await call('bulk_update_tasks', { filter: { project_id: project }, changes: { colour: 'red' } })).content[0]?.text).toMatch(/must NOT have additional properties/);
  });
});

describe('resources', () => {
  it('lists the three templates', async () => {
    const { resourceTemplates } = await session.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['dtm://tasks/{task_id}', 'dtm://projects/{project_id}', 'dtm://sprints/{sprint_id}/burndown']);
    expect((await session.client.listResources()).resources).toEqual([]);
  });

  it('reads a task, a project and a burndown as the tools answer them', async () => {
    expect(await resource(`dtm://tasks/${tasks[0] ?? ''}`)).toMatchObject({ result: { id: tasks[0] }, source: 'api' });
    expect(await resource(`dtm://projects/${project}`)).toMatchObject({ result: { id: project }, source: 'api' });
    const sprint = (await call('create_sprint', plan('Sprint 4'))).structuredContent?.result.id ?? '';
    expect(await resource(`dtm://sprints/${sprint}/burndown`)).toMatchObject({ result: { sprint_id: sprint, scope: 0 }, source: 'api' });
  });

  it('a missing record is the protocol’s "resource not found" (-32002); an unknown URI or id is invalid params', async () => {
    const missing = await session.client.readResource({ uri: 'dtm://tasks/TASK-999999' }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(McpError);
    expect(missing).toMatchObject({ code: -32002, message: expect.stringContaining('Task TASK-999999 was not found.') as unknown });
    expect(await session.client.readResource({ uri: 'dtm://users/demo' }).catch((error: unknown) => error)).toMatchObject({ code: -32602, message: expect.stringContaining('There is no resource dtm://users/demo') as unknown });
    expect(await session.client.readResource({ uri: 'dtm://tasks/123' }).catch((error: unknown) => error)).toMatchObject({ code: -32602, message: expect.stringContaining('123 is not a task id') as unknown });
    expect(await session.client.readResource({ uri: 'dtm://tasks/%E0%A4%A' }).catch((error: unknown) => error)).toMatchObject({ code: -32602, message: expect.stringContaining('is not a task id') as unknown });
  });
});

describe('while the API is down', () => {
  let sprint = '';
  beforeAll(async () => {
    sprint = (await call('create_sprint', plan('Offline sprint', { project_id: (await call('create_project', { name: 'Offline' })).structuredContent?.result.id }))).structuredContent?.result.id ?? '';
    await call('list_tasks', { limit: 100 });
    await box.server.setFaults({ down: true });
  });
  afterAll(() => box.server.setFaults({ down: false }));

  it('sprints and resources answer from the local store; start_sprint and bulk_update_tasks queue; sync sends it all', async () => {
    const listed = await call('list_sprints', { status: 'planned' });
    expect(listed.structuredContent).toMatchObject({ source: 'local' });
    expect(listed.structuredContent?.result.items?.map((item) => item.id)).toContain(sprint);
    expect(await resource(`dtm://tasks/${tasks[0] ?? ''}`)).toMatchObject({ result: { id: tasks[0] }, source: 'local', note: expect.stringMatching(/^Answered from the local store/) as unknown });
    const started = await call('start_sprint', { sprint_id: sprint });
    expect(started.structuredContent).toMatchObject({ result: { id: sprint, status: 'active' }, source: 'local', queued: 1 });
    const bulk = await call('bulk_update_tasks', { filter: { project_id: project }, changes: { status: 'in_progress' } });
    expect(bulk.structuredContent).toMatchObject({ result: { matched: 2, updated: 2, failed: 0 }, source: 'local', queued: 3 });
    expect(bulk.content[0]?.text).toMatch(/^Queued a change of each of the 2 tasks matching\.\nQueued \(the API/);
    expect(bulk.structuredContent?.note).toMatch(/^Queued \(the API at .* is unreachable\): 3 changes waiting/);
    const burndown = await call('sprint_burndown', { sprint_id: sprint });
    expect(burndown.isError).toBe(true);
    expect(burndown.content[0]?.text).toMatch(/^Cannot reach the DTM API/);

    // A call once the API is back reaches it: the circuit breaker the calls above opened is each call's own, as each command's.
    await box.server.setFaults({ down: false });
    const synced = await call('sync');
    expect(synced.content[0]?.text).toBe('Sent 3 changes; 0 open conflicts; 0 still queued.');
    expect(synced.structuredContent?.result).toMatchObject({ applied: 3, conflicts: [], remaining: 0 });
    expect(result(await call('get_sprint', { sprint_id: sprint }))).toMatchObject({ status: 'active' });
    const onServer = await call('list_tasks', { project_id: project });
    expect(onServer.structuredContent?.source).toBe('api');
    expect(onServer.structuredContent?.result.items?.map((task) => (task as { status?: string }).status)).toEqual(['in_progress', 'in_progress']);
  });
});

it('writes nothing but the protocol on stdout, and no token in any answer', () => {
  expect(session.protocolErrors).toEqual([]);
  const credentials = readFileSync(join(box.configDir, 'credentials.json'), 'utf8');
  const tokens = [...credentials.matchAll(/"(?:access|refresh)Token"\s*:\s*"([^"]+)"/g)].map((match) => match[1] as string);
  expect(tokens.length).toBeGreaterThan(0);
  for (const token of tokens) expect(session.answers.join('\n') + session.stderr.join('')).not.toContain(token);
});
