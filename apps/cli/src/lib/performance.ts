// What `dtm status performance` computes from the metrics log: pure functions, no I/O.
import { usageError } from './errors.js';
import type { MetricsEntry } from './metrics-log.js';

/** The brief's baseline: under 500 ms per standard operation. */
export const baselineMs = 500;
/** The brief's baseline for bulk work: about 10 ms per record. */
export const perRecordBaselineMs = 10;

export interface Stats {
  count: number;
  /** Calls that succeeded (2xx, or a health answer). */
  ok: number;
  /** ok / count, from 0 to 1. */
  success_rate: number;
  avg_ms: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

export interface OperationStats extends Stats {
  operation: string;
  method: string;
  /**
   * The budget the p95 is held to: 500 ms per call, or 10 ms per record for calls whose
   * log lines say how many records they carried (then `per_record_p95_ms` is set).
   */
  baseline_ms: number;
  per_record_p95_ms?: number;
  over_baseline: boolean;
}

export interface PerformanceReport {
  /** The start of the window (RFC 3339), or null for the whole log. */
  since: string | null;
  /** The operation asked for with --operation, or null for all. */
  operation: string | null;
  /** Every call in the window; null numbers when there is none. */
  total: Stats | null;
  /** One entry per operation, slowest (by p95) first. */
  operations: OperationStats[];
  /** Up to 5 operations with the highest p95 (then max). */
  slowest: { operation: string; p95_ms: number; max_ms: number }[];
  /** Operations whose p95 is over their baseline. */
  over_baseline: string[];
}

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since 1h|24h|7d` (any whole number of m, h, d or w) → milliseconds. */
export function parseSince(spec: string): number {
  const match = /^\s*(\d+)\s*(m|h|d|w)\s*$/.exec(spec);
  const amount = Number(match?.[1]);
  const unit = units[match?.[2] ?? ''];
  if (!match || unit === undefined || amount <= 0) {
    throw usageError(`--since must be a span like 30m, 1h, 24h or 7d, got "${spec}".`);
  }
  return amount * unit;
}

/** The nearest-rank percentile of values sorted ascending (p in 0–100); NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

const round = (value: number): number => Math.round(value * 10) / 10;

export function stats(entries: readonly MetricsEntry[]): Stats | null {
  if (entries.length === 0) return null;
  const durations = entries.map((entry) => entry.duration_ms).sort((a, b) => a - b);
  const ok = entries.filter((entry) => entry.ok).length;
  return {
    count: entries.length,
    ok,
    success_rate: Math.round((ok / entries.length) * 10_000) / 10_000,
    avg_ms: round(durations.reduce((sum, value) => sum + value, 0) / durations.length),
    p50_ms: round(percentile(durations, 50)),
    p95_ms: round(percentile(durations, 95)),
    max_ms: round(durations.at(-1) ?? 0),
  };
}

function operationStats(operation: string, entries: readonly MetricsEntry[]): OperationStats {
  const base = stats(entries) as Stats;
  const counted = entries.filter((entry) => entry.records !== undefined);
  if (counted.length > 0) {
    const perRecord = counted.map((entry) => entry.duration_ms / (entry.records ?? 1)).sort((a, b) => a - b);
    const p95 = round(percentile(perRecord, 95));
    return {
      operation,
      method: entries[0]?.method ?? '',
      ...base,
      baseline_ms: perRecordBaselineMs,
      per_record_p95_ms: p95,
      over_baseline: p95 > perRecordBaselineMs,
    };
  }
  return { operation, method: entries[0]?.method ?? '', ...base, baseline_ms: baselineMs, over_baseline: base.p95_ms > baselineMs };
}

export interface SummaryOptions {
  /** Only calls at or after this time (epoch ms). */
  since?: number;
  /** Only this operation (exact name, as the log has it). */
  operation?: string;
}

/** Count, average, p50, p95, max and success rate, overall and per operation. */
export function summarize(entries: readonly MetricsEntry[], options: SummaryOptions = {}): PerformanceReport {
  const { since, operation } = options;
  const selected = entries.filter(
    (entry) => (since === undefined || Date.parse(entry.at) >= since) && (operation === undefined || entry.operation === operation),
  );
  const groups = new Map<string, MetricsEntry[]>();
  for (const entry of selected) {
    const group = groups.get(entry.operation);
    if (group) group.push(entry);
    else groups.set(entry.operation, [entry]);
  }
  const operations = [...groups]
    .map(([name, group]) => operationStats(name, group))
    .sort((a, b) => b.p95_ms - a.p95_ms || b.max_ms - a.max_ms || a.operation.localeCompare(b.operation));
  return {
    since: since === undefined ? null : new Date(since).toISOString(),
    operation: operation ?? null,
    total: stats(selected),
    operations,
    slowest: operations.slice(0, 5).map(({ operation: name, p95_ms, max_ms }) => ({ operation: name, p95_ms, max_ms })),
    over_baseline: operations.filter((stat) => stat.over_baseline).map((stat) => stat.operation),
  };
}

/** "12.3 ms", "1.24 s". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms >= 100 ? Math.round(ms) : round(ms)} ms`;
}

/** "97.5 %", "100 %". */
export function formatRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10} %`;
}
