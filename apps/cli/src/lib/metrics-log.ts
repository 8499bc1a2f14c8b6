import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CallMetrics } from '@dtm/sdk';
import { dataDir } from './paths.js';

/** The log rotates to `metrics.ndjson.1` past this size, so it stays bounded (2 files). */
export const maxLogBytes = 1024 * 1024;

export function metricsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'metrics.ndjson');
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
    const line = {
      at: new Date().toISOString(),
      operation: metrics.operation,
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
