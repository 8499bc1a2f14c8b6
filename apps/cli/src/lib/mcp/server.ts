// `dtm mcp`'s server: the tools of tools.ts over the Model Context Protocol (the official SDK's
// low-level Server, which takes the tools' JSON Schemas as they are), and three resources that
// are read-only views through the same tools (a task, a project, a sprint's burndown). Each call
// gets a data layer of its own, as each `dtm` command does; its answer is the structured content
// (with `source: "local"` and the last sync when the local store answered, and what is queued),
// and a short text. Errors are tool errors (isError) with the message and hint the CLI prints.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import { describeError } from '../describe-error.js';
import { safeText } from '../render/safe-text.js';
import { type DataLayer, type LocalAnswer, sentLine } from '../store/data-layer.js';
import type { PushReport } from '../store/push.js';
import { type Tool, tools } from './tools.js';

export interface McpOptions {
  name: string;
  version: string;
  /** A data layer for one tool call; `onLocal` hears when the local store answered or queued, `onSent` when queued changes went out first. */
  dataLayer(hooks: { onLocal: (local: LocalAnswer) => void; onSent: (report: PushReport) => void }): DataLayer;
}

// The SDK marks Server "for advanced use cases": McpServer takes zod shapes only, and these
// tools' schemas are the contract's JSON Schemas, served as they are.
// eslint-disable-next-line @typescript-eslint/no-deprecated
export function mcpServer(options: McpOptions): Server {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const server = new Server(
    { name: options.name, version: options.version, title: 'DTM task management' },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        'Tools for the DTM task-management API (tasks, projects, sprints), and the resources dtm://tasks/{task_id}, dtm://projects/{project_id} and dtm://sprints/{sprint_id}/burndown. When the API is unreachable, reads answer from the local store ' +
        '(structured content `source: "local"`, with `last_sync`) and changes are queued there until the `sync` tool (or `dtm sync`) sends them.',
    },
  );
  const byName = checkedTools();

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map(({ name, title, description, inputSchema, outputSchema, annotations }) => ({
      name,
      title,
      description,
      inputSchema: inputSchema as { type: 'object' },
      outputSchema: outputSchema as { type: 'object' },
      annotations: { title, ...annotations },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, (request) =>
    inTurn(async (): Promise<CallToolResult> => {
      const entry = byName.get(request.params.name);
      if (entry === undefined) return failure(`There is no tool ${request.params.name}.`, `The tools are: ${tools.map((tool) => tool.name).join(', ')}.`);
      const checked = entry.check(request.params.arguments ?? {});
      if (!checked.valid) return failure(`Invalid arguments for ${entry.tool.name}: ${checked.errorMessage}.`, 'See the tool’s input schema.');
      try {
        const { structured, text } = await answer(entry.tool, checked.data, options);
        return { content: [{ type: 'text', text }], structuredContent: structured };
      } catch (error) {
        const { message, hint } = describeError(error);
        return failure(message, hint);
      }
    }),
  );

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: resources.map(({ uriTemplate, name, title, description }) => ({ uriTemplate, name, title, description, mimeType: 'application/json' })),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) =>
    inTurn(async (): Promise<ReadResourceResult> => {
      const { uri } = request.params;
      const found = resources.flatMap((resource) => {
        const match = resource.pattern.exec(uri);
        return match === null ? [] : [{ resource, id: match[1] ?? '' }];
      })[0];
      if (found === undefined) throw new McpError(ErrorCode.InvalidParams, `There is no resource ${safeText(uri)}; the resources are ${resources.map((resource) => resource.uriTemplate).join(', ')}.`);
      const entry = byName.get(found.resource.tool);
      const id = decoded(found.id);
      const args = { [found.resource.idKey]: id };
      if (entry === undefined || id === undefined || !entry.check(args).valid) throw new McpError(ErrorCode.InvalidParams, `${safeText(uri)}: ${safeText(found.id)} is not a ${found.resource.name} id.`);
      try {
        const { structured } = await answer(entry.tool, args, options);
        return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(structured) }] };
      } catch (error) {
        const { message, hint, json } = describeError(error);
        // -32002: the MCP specification's code for a resource that is not there.
        throw new McpError(json.code === 'not_found' ? -32002 : ErrorCode.InternalError, safeText(hint === undefined ? message : `${message} ${hint}`), { uri });
      }
    }),
  );
  return server;
}

/** The tools by name, each with its compiled input check (once per process: `--http` makes a server per session). */
let compiled: Map<string, { tool: Tool; check: JsonSchemaValidator<Record<string, unknown>> }> | undefined;
function checkedTools(): NonNullable<typeof compiled> {
  if (compiled !== undefined) return compiled;
  const validator = new AjvJsonSchemaValidator();
  compiled = new Map(tools.map((tool) => [tool.name, { tool, check: validator.getValidator<Record<string, unknown>>(tool.inputSchema) }]));
  return compiled;
}

// One call at a time in this process (over every session of `--http`), as one command at a
// time: each opens the local store for itself.
let queue: Promise<unknown> = Promise.resolve();
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = queue.then(work);
  queue = turn.catch(() => undefined);
  return turn;
}

/** The resources: read-only views of what a tool answers, under a URI of the record. */
const resources = [
  { uriTemplate: 'dtm://tasks/{task_id}', name: 'task', title: 'A task', tool: 'get_task', idKey: 'task_id', pattern: /^dtm:\/\/tasks\/([^/?#]+)$/ },
  { uriTemplate: 'dtm://projects/{project_id}', name: 'project', title: 'A project', tool: 'get_project', idKey: 'project_id', pattern: /^dtm:\/\/projects\/([^/?#]+)$/ },
  { uriTemplate: 'dtm://sprints/{sprint_id}/burndown', name: 'burndown', title: 'The burndown of a sprint', tool: 'sprint_burndown', idKey: 'sprint_id', pattern: /^dtm:\/\/sprints\/([^/?#]+)\/burndown$/ },
].map((resource) => ({
  ...resource,
  description: `As the ${resource.tool} tool answers it (JSON: {result, source, last_sync, queued, note}); ${resource.tool === 'sprint_burndown' ? 'the API only' : 'from the local store while the API is unreachable'}.`,
}));

/** A percent-encoded URI segment, decoded (undefined when it is malformed). */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

interface Answer {
  structured: { result: unknown; source: 'api' | 'local'; last_sync?: string; queued?: number; note?: string };
  text: string;
}

/** Runs a tool on a data layer of its own; throws what the tool throws. */
async function answer(tool: Tool, args: Record<string, unknown>, options: McpOptions): Promise<Answer> {
  let local: LocalAnswer | undefined;
  const notes: string[] = [];
  const data = options.dataLayer({
    onLocal: (localAnswer) => (local = localAnswer),
    onSent: (report) => {
      const line = sentLine(report);
      if (line !== undefined) notes.push(line);
    },
  });
  try {
    const result = await tool.run(args, data);
    if (local !== undefined) {
      notes.push(
        local.queued === undefined
          ? `Answered from the local store as of ${local.lastSync} (${local.reason}).`
          : `Queued (${local.reason}): ${local.queued} change${local.queued === 1 ? '' : 's'} waiting; the \`sync\` tool (or \`dtm sync\`, or the next call that reaches the API) sends ${local.queued === 1 ? 'it' : 'them'}.`,
      );
    }
    const structured: Answer['structured'] = {
      result,
      source: local === undefined && tool.localOnly !== true ? 'api' : 'local',
      ...(local === undefined ? {} : { last_sync: local.lastSync, ...(local.queued === undefined ? {} : { queued: local.queued }) }),
      ...(notes.length === 0 ? {} : { note: notes.join(' ') }),
    };
    return { structured, text: safeText([tool.summary(result, local?.queued !== undefined), ...notes].join('\n')) };
  } finally {
    await data.finish();
  }
}

function failure(message: string, hint: string | undefined): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: safeText(hint === undefined ? message : `${message}\nHint: ${hint}`) }] };
}
