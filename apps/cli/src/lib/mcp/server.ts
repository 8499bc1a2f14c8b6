// `dtm mcp`'s server: the tools of tools.ts over the Model Context Protocol (the official SDK's
// low-level Server, which takes the tools' JSON Schemas as they are). Each call gets a data
// layer of its own, as each `dtm` command does; its answer is the structured content (with
// `source: "local"` and the last sync when the local store answered, and what is queued), and
// a short text. Errors are tool errors (isError) with the message and hint the CLI prints.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
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
      capabilities: { tools: {} },
      instructions:
        'Tools for the DTM task-management API (tasks and projects). When the API is unreachable, reads answer from the local store ' +
        '(structured content `source: "local"`, with `last_sync`) and changes are queued there until the `sync` tool (or `dtm sync`) sends them.',
    },
  );
  const validator = new AjvJsonSchemaValidator();
  const byName = new Map(tools.map((tool) => [tool.name, { tool, check: validator.getValidator<Record<string, unknown>>(tool.inputSchema) }]));

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

  // One call at a time, as one command at a time: each opens the local store for itself.
  let queue: Promise<unknown> = Promise.resolve();
  server.setRequestHandler(CallToolRequestSchema, (request) => {
    const call = queue.then(async (): Promise<CallToolResult> => {
      const entry = byName.get(request.params.name);
      if (entry === undefined) return failure(`There is no tool ${request.params.name}.`, `The tools are: ${tools.map((tool) => tool.name).join(', ')}.`);
      const checked = entry.check(request.params.arguments ?? {});
      if (!checked.valid) return failure(`Invalid arguments for ${entry.tool.name}: ${checked.errorMessage}.`, 'See the tool’s input schema.');
      return run(entry.tool, checked.data, options);
    });
    queue = call.catch(() => undefined);
    return call;
  });
  return server;
}

async function run(tool: Tool, args: Record<string, unknown>, options: McpOptions): Promise<CallToolResult> {
  let local: LocalAnswer | undefined;
  const notes: string[] = [];
  const data = options.dataLayer({
    onLocal: (answer) => (local = answer),
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
    const structured = {
      result,
      source: local === undefined && tool.localOnly !== true ? 'api' : 'local',
      ...(local === undefined ? {} : { last_sync: local.lastSync, ...(local.queued === undefined ? {} : { queued: local.queued }) }),
      ...(notes.length === 0 ? {} : { note: notes.join(' ') }),
    };
    return { content: [{ type: 'text', text: safeText([tool.summary(result), ...notes].join('\n')) }], structuredContent: structured };
  } catch (error) {
    const { message, hint } = describeError(error);
    return failure(message, hint);
  } finally {
    await data.finish();
  }
}

function failure(message: string, hint: string | undefined): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: safeText(hint === undefined ? message : `${message}\nHint: ${hint}`) }] };
}
