// `dtm mcp` with the official MCP client (Client + StdioClientTransport) against the stateful
// mock: initialize, tools/list (schemas from the contract, annotations on every tool), a call
// of every tool (the client checks each structured answer against the tool's outputSchema),
// errors as tool errors with the CLI's message and hint, and reads and queued changes while
// the mock is down. Nothing but the protocol on stdout; no token in any answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, root, sandbox } from '../harness.js';
import contract from '../../src/lib/mcp/contract.json' with { type: 'json' };
import { type McpSession, startMcp } from './support.js';

let box: Sandbox;
let session: McpSession;
let client: Client;
const call: McpSession['call'] = (name, args) => session.call(name, args);

beforeAll(async () => {
  box = await sandbox({ tasks: 12 });
  await box.login();
  session = await startMcp(box);
  client = session.client;
});
afterAll(async () => {
  await session.close();
  await box.stop();
});

const names = [
  ...['health', 'list_tasks', 'get_task', 'create_task', 'update_task', 'complete_task', 'delete_task', 'bulk_update_tasks', 'task_history'],
  ...['list_projects', 'get_project', 'project_summary', 'create_project', 'update_project', 'delete_project'],
  ...['list_sprints', 'get_sprint', 'create_sprint', 'update_sprint', 'start_sprint', 'complete_sprint', 'delete_sprint', 'add_sprint_tasks', 'remove_sprint_tasks', 'sprint_burndown'],
  ...['sync_status', 'sync'],
];

describe('initialize and tools/list', () => {
  it('names the server and its version, and says how offline answers look', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(client.getServerVersion()).toMatchObject({ name: 'dtm', version });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    expect(client.getInstructions()).toMatch(/source: "local"/);
  });

  it('lists every tool with input and output schemas and all four annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(names);
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.outputSchema?.required, tool.name).toEqual(['result', 'source']);
      expect(tool.description?.length, tool.name).toBeGreaterThan(10);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) expect(typeof tool.annotations?.[hint], `${tool.name} ${hint}`).toBe('boolean');
    }
    expect(tools.filter((tool) => tool.annotations?.readOnlyHint === true).map((tool) => tool.name)).toEqual(['health', 'list_tasks', 'get_task', 'task_history', 'list_projects', 'get_project', 'project_summary', 'list_sprints', 'get_sprint', 'sprint_burndown', 'sync_status']);
    expect(tools.filter((tool) => tool.annotations?.destructiveHint === true).map((tool) => tool.name)).toEqual(['delete_task', 'delete_project', 'delete_sprint']);
    expect(tools.filter((tool) => tool.annotations?.idempotentHint === false).map((tool) => tool.name)).toEqual(['create_task', 'create_project', 'create_sprint']);
    // Only sync_status stays inside the local store.
    expect(tools.filter((tool) => tool.annotations?.openWorldHint === false).map((tool) => tool.name)).toEqual(['sync_status']);
  });

  it("takes its schemas from openapi.yaml: list_tasks' input is listTasks' query, create_task's the TaskCreate body", async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName.get('list_tasks')?.inputSchema.properties ?? {})).toEqual(contract.operations.listTasks.parameters.map((parameter) => parameter.name));
    const create = byName.get('create_task')?.inputSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };
    const body = contract.operations.createTask.body.schema;
    expect(Object.keys(create.properties)).toEqual(Object.keys(body.properties));
    expect(create.required).toEqual(body.required);
    expect(create.properties.title).toEqual(body.properties.title);
    expect(create.properties.priority).toEqual(body.properties.priority);
    const result = byName.get('get_task')?.outputSchema?.properties?.result as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(result.properties)).toEqual(Object.keys(contract.operations.getTask.response.properties));
    expect(result.required).toEqual(contract.operations.getTask.response.required);
  });

  it('serves schemas clients of every provider take: nullable types as anyOf, ids that also take the temporary id of an offline record', async () => {
    const { tools } = await client.listTools();
    const text = JSON.stringify(tools);
    expect(text).not.toMatch(/"type":\[/);
    const description = (tools.find((tool) => tool.name === 'create_task')?.inputSchema.properties as Record<string, unknown>).description;
    expect(description).toEqual({ description: contract.operations.createTask.body.schema.properties.description.description, anyOf: [{ type: 'string', maxLength: 10000 }, { type: 'null' }] });
    expect(text).toContain('"pattern":"^TASK-([0-9]{6,}|L[0-9a-f]{8})$"');
    expect(text).not.toContain('"pattern":"^TASK-[0-9]{6,}$"');
  });
});

describe('a call of every tool, against the API', () => {
  it('health, list_tasks, get_task', async () => {
    expect((await call('health')).structuredContent).toMatchObject({ result: { status: 'ok' }, source: 'api' });
    const page = await call('list_tasks', { status: ['pending'], limit: 3 });
    expect(page.structuredContent?.source).toBe('api');
    expect(page.structuredContent?.result).toMatchObject({ limit: 3, offset: 0 });
    const items = page.structuredContent?.result.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((task) => (task as { status?: string }).status === 'pending')).toBe(true);
    expect(page.content[0]?.text).toMatch(/^Tasks 1–\d+ of \d+:\nTASK-/);
    const first = items[0]?.id ?? '';
    const shown = await call('get_task', { task_id: first });
    expect(shown.structuredContent).toMatchObject({ result: { id: first }, source: 'api' });
  });

  it('create_task, update_task, complete_task, task_history, delete_task', async () => {
    const created = await call('create_task', { title: 'Written by an agent', priority: 'high', tags: ['mcp'] });
    expect(created.structuredContent).toMatchObject({ result: { title: 'Written by an agent', priority: 'high', status: 'pending', tags: ['mcp'] }, source: 'api' });
    const id = created.structuredContent?.result.id ?? '';
    expect(created.content[0]?.text).toBe(`Created ${id} "Written by an agent" (pending, high, version 1)`);
    expect((await call('update_task', { task_id: id, status: 'in_progress', assignee: 'demo' })).structuredContent?.result).toMatchObject({ status: 'in_progress', assignee: 'demo', version: 2 });
    expect((await call('complete_task', { task_id: id, completion_notes: 'done by the agent' })).structuredContent?.result).toMatchObject({ status: 'completed', completion_notes: 'done by the agent' });
    const history = await call('task_history', { task_id: id });
    expect((history.structuredContent?.result as { total: number }).total).toBeGreaterThanOrEqual(3);
    expect((await call('delete_task', { task_id: id })).structuredContent).toEqual({ result: { id, deleted: true }, source: 'api' });
    const gone = await call('get_task', { task_id: id });
    expect(gone.isError).toBe(true);
  });
});

describe('projects', () => {
  it('list_projects, get_project, project_summary, create_project, update_project, delete_project', async () => {
    const page = await call('list_projects', { limit: 2 });
    expect(page.structuredContent?.source).toBe('api');
    const first = page.structuredContent?.result.items?.[0]?.id ?? '';
    expect(first).toMatch(/^PRJ-/);
    expect((await call('get_project', { project_id: first })).structuredContent?.result).toMatchObject({ id: first });
    const summary = await call('project_summary', { project_id: first });
    expect(summary.structuredContent?.result).toMatchObject({ project_id: first });
    expect(summary.content[0]?.text).toMatch(new RegExp(`^${first}: \\d+ tasks, \\d+% completed$`));
    const created = await call('create_project', { name: 'Agent project' });
    const id = created.structuredContent?.result.id ?? '';
    expect(created.structuredContent?.result).toMatchObject({ name: 'Agent project', status: 'active' });
    expect((await call('update_project', { project_id: id, status: 'archived' })).structuredContent?.result).toMatchObject({ status: 'archived', version: 2 });
    expect((await call('delete_project', { project_id: id })).structuredContent).toEqual({ result: { id, deleted: true }, source: 'api' });
    // A project with tasks is refused, with the CLI's explanation.
    const refused = await call('delete_project', { project_id: first });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]?.text).toMatch(new RegExp(`^Cannot delete ${first}: .*\\nHint: Move or delete its tasks`));
  });
});

describe('errors', () => {
  it('are tool errors with the message and hint `dtm` prints', async () => {
    const missing = await call('get_task', { task_id: 'TASK-999999' });
    const cli = await box.run(['task', 'show', 'TASK-999999', '--json']);
    const { error } = JSON.parse(cli.stdout) as { error: { message: string; hint: string } };
    expect(missing).toEqual({ isError: true, content: [{ type: 'text', text: `${error.message}\nHint: ${error.hint}` }] });
  });

  it('check the arguments against the input schema first, and name an unknown tool', async () => {
    const invalid = await call('create_task', { title: '' });
    expect(invalid.isError).toBe(true);
    expect(invalid.content[0]?.text).toMatch(/^Invalid arguments for create_task: .*title.* fewer than 1 characters/);
    expect((await call('update_task', { task_id: 'TASK-000001' })).content[0]?.text).toBe('Nothing to change.\nHint: Pass at least one field, e.g. status or assignee.');
    expect((await call('update_task', { task_id: 'TASK-000001', colour: 'red' })).content[0]?.text).toMatch(/must NOT have additional properties/);
    expect((await call('fly', {})).content[0]?.text).toMatch(/^There is no tool fly\./);
  });
});

describe('while the API is down', () => {
  beforeAll(async () => {
    // The local store holds the tasks once they were listed with the API up.
    await call('list_tasks', { limit: 100 });
    await box.server.setFaults({ down: true });
  });
  afterAll(() => box.server.setFaults({ down: false }));

  it('reads answer from the local store and say so, with the last sync', async () => {
    const page = await call('list_tasks', { status: ['pending'], limit: 5 });
    expect(page.isError).toBeUndefined();
    expect(page.structuredContent?.source).toBe('local');
    expect(Date.parse(page.structuredContent?.last_sync ?? '')).not.toBeNaN();
    expect(page.structuredContent?.note).toMatch(/^Answered from the local store as of .* \(the API at .* is unreachable\)\.$/);
    expect(page.content[0]?.text).toContain('Answered from the local store');
  });

  it('a change is queued and says so; sync_status counts it; the sync tool sends it once the API is back', async () => {
    const queued = await call('create_task', { title: 'Queued by an agent' });
    expect(queued.structuredContent).toMatchObject({ result: { title: 'Queued by an agent' }, source: 'local', queued: 1 });
    expect(queued.structuredContent?.note).toMatch(/^Queued \(the API at .* is unreachable\): 1 change waiting; the `sync` tool \(or `dtm sync`, or the next call that reaches the API\) sends it\.$/);
    expect(queued.structuredContent?.result.id).toMatch(/^TASK-L/);
    const status = await call('sync_status');
    expect(status.structuredContent).toMatchObject({ result: { queued: 1, conflicts: [] }, source: 'local' });
    expect(Date.parse((status.structuredContent?.result.last_sync as { tasks: string }).tasks)).not.toBeNaN();
    await box.server.setFaults({ down: false });
    const synced = await call('sync');
    expect(synced.structuredContent).toMatchObject({ result: { applied: 1, conflicts: [], remaining: 0 }, source: 'api' });
    expect(synced.content[0]?.text).toBe('Sent 1 change; 0 open conflicts; 0 still queued.');
    expect((await call('sync_status')).structuredContent?.result).toMatchObject({ queued: 0 });
    const onServer = await call('list_tasks', { q: 'Queued by an agent' });
    expect(onServer.structuredContent?.source).toBe('api');
    expect(onServer.structuredContent?.result.items?.length).toBe(1);
  });
});

it('writes nothing but the protocol on stdout, and no token in any answer', () => {
  expect(session.protocolErrors).toEqual([]);
  const credentials = readFileSync(join(box.configDir, 'credentials.json'), 'utf8');
  const tokens = [...credentials.matchAll(/"(?:access|refresh)Token"\s*:\s*"([^"]+)"/g)].map((match) => match[1] as string);
  expect(tokens.length).toBeGreaterThan(0);
  const everything = session.answers.join('\n') + session.stderr.join('');
  for (const token of tokens) expect(everything).not.toContain(token);
});
