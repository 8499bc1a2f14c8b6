import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallMetrics } from '@dtm/sdk';
import { dataDir } from './paths.js';

/** The log rotates to `metrics.ndjson.1` past this size, so it stays bounded (2 files). */
export const maxLogBytes = 1024 * 1024;

export function metricsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'metrics.ndjson');
}

/**
 * One line of the log. No secret is ever in it: the SDK's metrics carry the operation,
 * status, timing and request id only.
 */
export interface MetricsEntry {
  /** When the call ended (RFC 3339). */
  at: string;
  /** The operationId (`listTasks`), or `METHOD /path` for `dtm api`. */
  operation: string;
  method: string;
  status: number | null;
  attempts: number;
  duration_ms: number;
  ok: boolean;
  request_id: string;
  /** Records the call carried (bulk operations), when the writer knew it. */
  records?: number;
}

/**
 * The operation a call is counted under. Raw calls (`dtm api`) are named by their path;
 * their ids become `{id}`, so `GET /api/v1/tasks/TASK-000021` and `…/TASK-000022` are one row.
 */
export function operationName(operation: string): string {
  return operation.replace(/\b(TASK|PRJ|SPR|USR)-\d+\b/g, '{id}').replace(/\?.*$/, '');
}

/** One line per API call: what `dtm status performance` summarises. Never fails the command. */
export function recordCall(metrics: CallMetrics, env: NodeJS.ProcessEnv = process.env): void {
  try {
    const path = metricsPath(env);
    mkdirSync(dataDir(env), { recursive: true, mode: 0o700 });
    try {
      if (statSync(path).size > maxLogBytes) renameSync(path, `${path}.1`);
    } catch {
      // No log yet.
    }
    const line: MetricsEntry = {
      at: new Date().toISOString(),
      operation: operationName(metrics.operation),
      method: metrics.method,
      status: metrics.status,
      attempts: metrics.attempts,
      duration_ms: Math.round(metrics.durationMs * 10) / 10,
      ok: metrics.ok,
      request_id: metrics.requestId,
    };
    appendFileSync(path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  } catch {
    // A full disk or a read-only data dir must not break the command itself.
  }
}

/** The lines of a log that are whole entries; a torn last line or a stray one is skipped. */
export function parseMetricsLog(text: string): MetricsEntry[] {
  const entries: MetricsEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      continue;
    }
    if (isEntry(data)) entries.push(data);
  }
  return entries;
}

function isEntry(data: unknown): data is MetricsEntry {
  if (typeof data !== 'object' || data === null) return false;
  const entry = data as Record<string, unknown>;
  return (
    typeof entry.at === 'string' &&
    !Number.isNaN(Date.parse(entry.at)) &&
    typeof entry.operation === 'string' &&
    typeof entry.duration_ms === 'number' &&
    Number.isFinite(entry.duration_ms) &&
    typeof entry.ok === 'boolean' &&
    (entry.records === undefined || (typeof entry.records === 'number' && entry.records > 0))
  );
}

/** Every entry of the rotated log (`metrics.ndjson.1`) and the current one, oldest first. */
export async function readMetricsLog(env: NodeJS.ProcessEnv = process.env): Promise<{ entries: MetricsEntry[]; files: string[] }> {
  const path = metricsPath(env);
  const entries: MetricsEntry[] = [];
  const files: string[] = [];
  for (const file of [`${path}.1`, path]) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    files.push(file);
    entries.push(...parseMetricsLog(text));
  }
  return { entries, files };
}
