// Compares the local store and its CSV mirror with the API's data: what
// `status sync --check-csv-drift` and `project sync --validate-integrity` report.
import { createHash } from 'node:crypto';
import type { DtmClient } from '@dtm/sdk';
import { csvRows } from './csv.js';
import type { Kind, RecordOf } from './records.js';

export interface Drift {
  kind: Kind;
  /** In the local copy only (not counting tasks with changes queued offline). */
  only_local: string[];
  /** On the server only. */
  only_remote: string[];
  /** In both, with different fields. */
  changed: { id: string; fields: string[] }[];
}

/** Every record of every kind on the server. */
export async function fetchAll(client: DtmClient): Promise<{ [K in Kind]: RecordOf<K>[] }> {
  const collect = async <T>(records: AsyncIterable<T>): Promise<T[]> => {
    const all: T[] = [];
    for await (const record of records) all.push(record);
    return all;
  };
  const [tasks, projects, sprints] = await Promise.all([
    collect(client.tasks.listAll({}, { pageSize: 1000 })),
    collect(client.projects.listAll({}, { pageSize: 1000 })),
    collect(client.sprints.listAll({}, { pageSize: 1000 })),
  ]);
  return { tasks, projects, sprints };
}

export function drift<K extends Kind>(kind: K, local: readonly RecordOf<K>[], remote: readonly RecordOf<K>[], queued: ReadonlySet<string>): Drift {
  const remoteById = new Map(remote.map((record) => [record.id, record]));
  const localIds = new Set(local.map((record) => record.id));
  const result: Drift = { kind, only_local: [], only_remote: [], changed: [] };
  for (const record of local) {
    if (queued.has(record.id)) continue;
    const other = remoteById.get(record.id);
    if (other === undefined) {
      result.only_local.push(record.id);
      continue;
    }
    const mine = record as unknown as Record<string, unknown>;
    const theirs = other as unknown as Record<string, unknown>;
    const fields = Object.keys(theirs).filter((field) => JSON.stringify(mine[field]) !== JSON.stringify(theirs[field]));
    if (fields.length > 0) result.changed.push({ id: record.id, fields });
  }
  for (const record of remote) if (!localIds.has(record.id) && !queued.has(record.id)) result.only_remote.push(record.id);
  return result;
}

/** A checksum of a collection's content: sha256 of its CSV rows by id, as the mirror holds them (without the ### lines and the header). */
export function checksum<K extends Kind>(kind: K, records: readonly RecordOf<K>[]): string {
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256').update(csvRows(kind, sorted)).digest('hex');
}

/** The checksum of a mirror file's rows (the same as `checksum` of the records it was written from). */
export function fileChecksum(text: string): string {
  const lines = text.split('\n');
  return createHash('sha256').update(lines.slice(4).join('\n')).digest('hex');
}

