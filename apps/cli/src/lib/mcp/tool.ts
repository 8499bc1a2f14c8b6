// What a tool of `dtm mcp` is, and the kinds of tools there are — list a page, get one record,
// change one, delete one — made from an operation of openapi.yaml: its summary and description,
// its input and output schemas (schemas.ts). The tools run through the same data layer and the
// same functions as the `dtm` commands.
import type { DtmClient } from '@dtm/sdk';
import { deleteRecord } from '../confirmed-delete.js';
import { CliError, notInLocalCopy } from '../errors.js';
import type { DataLayer } from '../store/data-layer.js';
import type { Kind, PageOf, Window } from '../store/records.js';
import { type JsonSchema, inputSchema, operation, outputSchema } from './schemas.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** The tool talks to the DTM API, a system outside the client (all but sync_status, which reads the local store only). */
  openWorldHint: boolean;
}

export type Args = Record<string, unknown>;

export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  annotations: ToolAnnotations;
  /** The answer (the `result` of the output); `args` have passed `inputSchema`. */
  run(args: Args, data: DataLayer): Promise<unknown>;
  /** One line for the text content (the structured content has all of it); `queued`: the change was queued in the local store, not sent. */
  summary(result: unknown, queued: boolean): string;
  /** The answer is always the local store's (the tool does not call the API). */
  localOnly?: true;
}

export const read: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
export const write = (idempotent: boolean, destructive = false): ToolAnnotations => ({ readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: true });

export const queuedNote =
  'While the API is unreachable the change is queued in the local store and applied there; the `sync` tool (or `dtm sync`, or any later call that reaches the API) sends it.';

interface Extra {
  /** The result's schema, when the operation answers nothing (or something else). */
  output?: JsonSchema;
  /** Appended to the operation's description. */
  also?: string;
  /** The input schema, when it is not the operation's. */
  input?: JsonSchema;
}

/** A tool made from an operation: its summary and description, and its schemas. */
export function fromOperation<R>(name: string, operationId: string, annotations: ToolAnnotations, run: (args: Args, data: DataLayer) => Promise<R>, summary: (result: R, queued: boolean) => string, extra: Extra = {}): Tool {
  const { summary: title, description } = operation(operationId);
  return {
    name,
    title,
    description: [description ?? title, extra.also].filter(Boolean).join(' '),
    inputSchema: extra.input ?? inputSchema(operationId),
    outputSchema: outputSchema(operationId, extra.output),
    annotations,
    run,
    summary: summary,
  };
}

/** The body of a change: the arguments but the path's. */
export const bodyOf = (args: Args, ...path: string[]): Args => Object.fromEntries(Object.entries(args).filter(([key]) => !path.includes(key)));

/** The record, or the error for one the local store does not hold (a change queued offline answers null then). */
export function held<T>(record: T | null | undefined, id: string): T {
  if (record === null || record === undefined) throw notInLocalCopy(id);
  return record;
}

interface Described<T> {
  /** The path parameter of the id: task_id, project_id, sprint_id. */
  idKey: string;
  /** One record in a line. */
  line: (record: T) => string;
}

/** A page of records: `limit` and `offset` (50 and 0 unless given) and the filters. */
export function listTool<T>(
  name: string,
  operationId: string,
  plural: string,
  list: (data: DataLayer, filters: Args, window: Window) => Promise<PageOf<T>>,
  line: (record: T) => string,
): Tool {
  return fromOperation(
    name,
    operationId,
    read,
    (args, data) => {
      const { limit = 50, offset = 0, ...filters } = args as Args & Partial<Window>;
      return list(data, filters, { limit, offset });
    },
    (page) => {
      const noun = plural.charAt(0).toUpperCase() + plural.slice(1);
      if (page.items.length === 0) return `No ${plural} (${page.total} match).`;
      return `${noun} ${page.offset + 1}–${page.offset + page.items.length} of ${page.total}:\n${page.items.map(line).join('\n')}`;
    },
  );
}

/** One record by id (a temporary id of one created offline maps to its server id once sent). */
export function getTool<T>(name: string, operationId: string, { idKey, line }: Described<T>, get: (data: DataLayer, id: string) => Promise<T>): Tool {
  return fromOperation(name, operationId, read, async (args, data) => get(data, await data.resolveId(args[idKey] as string)), line);
}

/**
 * A change of one record by id: `change` gets the arguments but the id, and answers the record
 * as it is now (null when it is not in the local store: queued for a record only the server has).
 */
export function changeTool<T>(
  name: string,
  operationId: string,
  verb: string,
  { idKey, line }: Described<T>,
  change: (data: DataLayer, id: string, args: Args) => Promise<T | null>,
  extra: Extra = {},
): Tool {
  return fromOperation(
    name,
    operationId,
    write(true),
    async (args, data) => {
      const id = await data.resolveId(args[idKey] as string);
      return held(await change(data, id, bodyOf(args, idKey)), id);
    },
    (record) => `${verb} ${line(record)}`,
    { also: queuedNote, ...extra },
  );
}

/** changeTool for an update: at least one field (`example` names some), else the CLI's "Nothing to change." */
export function updateTool<T>(name: string, operationId: string, described: Described<T>, example: string, update: (data: DataLayer, id: string, changes: Args) => Promise<T | null>): Tool {
  return changeTool(name, operationId, 'Updated', described, (data, id, changes) => {
    if (Object.keys(changes).length === 0) throw new CliError('Nothing to change.', { code: 'usage', hint: `Pass at least one field, e.g. ${example}.` });
    return update(data, id, changes);
  });
}

const deleted: JsonSchema = { type: 'object', properties: { id: { type: 'string' }, deleted: { const: true } }, required: ['id', 'deleted'] };

/** Deletes one record by id, as `dtm … delete --yes` does (destructiveHint asks the client to check with its user first). */
export function deleteTool(
  name: string,
  operationId: string,
  kind: Kind,
  idKey: string,
  remove: (client: DtmClient, id: string, ifMatch: number | undefined) => Promise<void>,
  explain: (error: unknown, id: string) => unknown,
  also = '',
): Tool {
  const noun = kind === 'tasks' ? '' : `${kind.slice(0, -1)} `;
  return fromOperation(
    name,
    operationId,
    write(true, true),
    async (args, data) => {
      const id = await data.resolveId(args[idKey] as string);
      await deleteRecord(data, { kind, id, remove, explain });
      return { id, deleted: true as const };
    },
    (result) => `Deleted ${noun}${result.id}`,
    { output: deleted, also: `${also}${queuedNote}` },
  );
}
