import { describe, expect, it } from 'vitest';
import { type MetricsEntry, parseMetricsLog } from '../../src/lib/metrics-log.js';
import { formatMs, formatRate, parseSince, percentile, summarize } from '../../src/lib/performance.js';

const at = (minutesAgo: number): string => new Date(Date.parse('2025-01-10T12:00:00Z') - minutesAgo * 60_000).toISOString();
const entry = (operation: string, duration_ms: number, extra: Partial<MetricsEntry> = {}): MetricsEntry => ({
  at: at(1),
  operation,
  method: 'GET',
  status: 200,
  attempts: 1,
  duration_ms,
  ok: true,
  request_id: 'req_1',
  ...extra,
});

describe('percentile (nearest rank)', () => {
  it.each([
    { given: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 50, want: 5 },
    { given: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 95, want: 10 },
    { given: Array.from({ length: 100 }, (_, index) => index + 1), p: 95, want: 95 },
    { given: [42], p: 50, want: 42 },
    { given: [42], p: 0, want: 42 },
  ])('p$p of $given.length values → $want', ({ given, p, want }) => {
    expect(percentile(given, p)).toBe(want);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('parseSince', () => {
  it.each([
    { given: '1h', want: 3_600_000 },
    { given: '24h', want: 86_400_000 },
    { given: '7d', want: 604_800_000 },
    { given: '30m', want: 1_800_000 },
    { given: '2w', want: 1_209_600_000 },
  ])('$given → $want ms', ({ given, want }) => {
    expect(parseSince(given)).toBe(want);
  });

  it.each(['', '1', 'h', '0h', '1.5h', '1y', '-1h'])('rejects "%s" as a usage error', (given) => {
    expect(() => parseSince(given)).toThrow(expect.objectContaining({ exitCode: 2 }) as Error);
  });
});

describe('summarize', () => {
  it('gives count, average, p50, p95, max and success rate, overall and per operation, slowest first', () => {
    const entries = [
      entry('listTasks', 10),
      entry('listTasks', 20),
      entry('listTasks', 30),
      entry('listTasks', 40, { ok: false, status: 500 }),
      entry('getTask', 5),
    ];
    const report = summarize(entries);
    expect(report.total).toEqual({ count: 5, ok: 4, success_rate: 0.8, avg_ms: 21, p50_ms: 20, p95_ms: 40, max_ms: 40 });
    expect(report.operations.map((stats) => stats.operation)).toEqual(['listTasks', 'getTask']);
    expect(report.operations[0]).toMatchObject({ count: 4, avg_ms: 25, p50_ms: 20, p95_ms: 40, success_rate: 0.75, over_baseline: false });
    expect(report.slowest).toEqual([
      { operation: 'listTasks', p95_ms: 40, max_ms: 40 },
      { operation: 'getTask', p95_ms: 5, max_ms: 5 },
    ]);
    expect(report.over_baseline).toEqual([]);
    expect(report.since).toBeNull();
  });

  it('flags operations whose p95 is over 500 ms', () => {
    const slow = Array.from({ length: 20 }, (_, index) => entry('createTask', index < 18 ? 100 : 900));
    const report = summarize([...slow, entry('getTask', 499), entry('getTask', 500)]);
    expect(report.over_baseline).toEqual(['createTask']);
    expect(report.operations.find((stats) => stats.operation === 'getTask')?.over_baseline).toBe(false);
  });

  it('holds calls logged with a record count to 10 ms per record', () => {
    const report = summarize([
      entry('bulkTasks', 4000, { method: 'POST', records: 500 }), // 8 ms per record: fine
      entry('exportTasks', 3000, { records: 100 }), // 30 ms per record: over
    ]);
    const byName = Object.fromEntries(report.operations.map((stats) => [stats.operation, stats]));
    expect(byName.bulkTasks).toMatchObject({ baseline_ms: 10, per_record_p95_ms: 8, over_baseline: false });
    expect(byName.exportTasks).toMatchObject({ baseline_ms: 10, per_record_p95_ms: 30, over_baseline: true });
  });

  it('keeps only calls since a time, and of one operation', () => {
    const entries = [entry('listTasks', 10, { at: at(60 * 48) }), entry('listTasks', 20), entry('getTask', 30)];
    const since = Date.parse(at(60));
    expect(summarize(entries, { since }).total?.count).toBe(2);
    const one = summarize(entries, { since, operation: 'listTasks' });
    expect(one.total?.count).toBe(1);
    expect(one.operations.map((stats) => stats.operation)).toEqual(['listTasks']);
    expect(one.since).toBe(new Date(since).toISOString());
  });

  it('has no numbers for no calls', () => {
    expect(summarize([])).toEqual({ since: null, operation: null, total: null, operations: [], slowest: [], over_baseline: [] });
  });
});

describe('parseMetricsLog', () => {
  it('keeps whole entries and skips torn or foreign lines', () => {
    const good = JSON.stringify(entry('listTasks', 12.5));
    const text = [good, '{"at":"nope","operation":"x","duration_ms":1,"ok":true}', 'not json', '', good, '{"at":"2025-01-0'].join('\n');
    expect(parseMetricsLog(text)).toHaveLength(2);
  });
});

describe('formatting', () => {
  it.each([
    { given: 12.34, want: '12.3 ms' },
    { given: 123.4, want: '123 ms' },
    { given: 1234, want: '1.23 s' },
  ])('formatMs($given) → $want', ({ given, want }) => {
    expect(formatMs(given)).toBe(want);
  });

  it('formats rates as percentages', () => {
    expect(formatRate(0.975)).toBe('97.5 %');
    expect(formatRate(1)).toBe('100 %');
  });
});
