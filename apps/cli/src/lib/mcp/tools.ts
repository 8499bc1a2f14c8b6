// The tools of `dtm mcp`: each is an operation of openapi.yaml (its input and output schemas
// come from there, see schemas.ts) run through the same data layer as the `dtm` commands — the
// API first, the local store when it is unreachable, changes queued offline for `dtm sync` —
// and the two tools of the local store itself.
import { kinds } from '../store/records.js';
import { outputSchema } from './schemas.js';
import { projectTools } from './project-tools.js';
import { sprintTools } from './sprint-tools.js';
import { taskTools } from './task-tools.js';
import { type Tool, fromOperation, read, write } from './tool.js';

export type { Tool } from './tool.js';

export const tools: readonly Tool[] = [
  fromOperation('health', 'getHealth', read, async (_args, data) => (await data.client()).health(), (result) => `API ${result.status}`),
  ...taskTools,
  ...projectTools,
  ...sprintTools,
  {
    name: 'sync_status',
    title: 'What waits to be synced',
    description:
      'The local store of this API server: how many changes wait to be sent, the open conflicts (a queued change the server did not take, kept with the server’s version), and when each kind of record was last read from the API. Reads the local store only; works while the API is down.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: outputSchema(undefined, {
      type: 'object',
      properties: {
        queued: { type: 'integer', description: 'Changes waiting to be sent.' },
        conflicts: { type: 'array', items: { type: 'object' }, description: 'Open conflicts; `dtm sync resolve ID --keep local|remote` settles one.' },
        last_sync: { type: 'object', properties: Object.fromEntries(kinds.map((kind) => [kind, { anyOf: [{ type: 'string' }, { type: 'null' }] }])), description: 'When each kind was last read from the API (null: never).' },
      },
      required: ['queued', 'conflicts', 'last_sync'],
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    localOnly: true,
    async run(_args, data) {
      const store = await data.store();
      return {
        queued: store?.pendingCount() ?? 0,
        conflicts: store?.conflicts() ?? [],
        last_sync: Object.fromEntries(kinds.map((kind) => [kind, store?.lastSync(kind) ?? null])),
      };
    },
    summary: (result) => {
      const { queued, conflicts } = result as { queued: number; conflicts: unknown[] };
      return `${queued} change${queued === 1 ? '' : 's'} queued, ${conflicts.length} open conflict${conflicts.length === 1 ? '' : 's'}.`;
    },
  },
  {
    name: 'sync',
    title: 'Send the queued changes, then read what changed',
    description:
      'As `dtm sync`: sends the changes queued while the API was unreachable, in the order they were made (a change the server already shows, or one whose record changed on the server meanwhile, becomes a conflict instead of overwriting it), then reads every change on the server since the last sync into the local store.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: outputSchema(undefined, {
      type: 'object',
      properties: {
        applied: { type: 'integer', description: 'Changes the server took.' },
        conflicts: { type: 'array', items: { type: 'object' }, description: 'Open conflicts after this sync.' },
        remaining: { type: 'integer', description: 'Changes still queued (the API became unreachable meanwhile).' },
        pulled: {
          anyOf: [{ type: 'object', properties: { upserted: { type: 'integer' }, deleted: { type: 'integer' }, full: { type: 'boolean' } } }, { type: 'null' }],
          description: 'Records read from the change feed (null when sending stopped early).',
        },
      },
      required: ['applied', 'conflicts', 'remaining', 'pulled'],
    }),
    annotations: write(true),
    async run(_args, data) {
      const { store, report, pulled } = await data.sync();
      return { applied: report.applied, conflicts: store.conflicts(), remaining: report.remaining, pulled };
    },
    summary: (result) => {
      const { applied, conflicts, remaining } = result as { applied: number; conflicts: unknown[]; remaining: number };
      return `Sent ${applied} change${applied === 1 ? '' : 's'}; ${conflicts.length} open conflict${conflicts.length === 1 ? '' : 's'}; ${remaining} still queued.`;
    },
  },
];
