import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { metricsPath, readMetricsLog } from '../../lib/metrics-log.js';
import {
  type OperationStats,
  type PerformanceReport,
  baselineMs,
  formatMs,
  formatRate,
  parseSince,
  perRecordBaselineMs,
  summarize,
} from '../../lib/performance.js';
import { table } from '../../lib/render/table.js';

export default class StatusPerformance extends DtmCommand<typeof StatusPerformance> {
  static override summary = 'Summarise the timings of recent API calls';
  static override description =
    'Reads the metrics log every command writes (metrics.ndjson in the data dir, and the rotated metrics.ndjson.1): ' +
    'count, average, p50, p95, max and success rate, overall and per operation, slowest first. Operations whose ' +
    `p95 is over the baseline of ${baselineMs} ms per call (or ${perRecordBaselineMs} ms per record, for calls logged ` +
    'with a record count) are flagged. Percentiles are nearest-rank. Only reads the local log: no API call.';
  static override examples = [
    '<%= config.bin %> status performance',
    '<%= config.bin %> status performance --since 1h',
    '<%= config.bin %> status performance --operation listTasks --json',
  ];
  static override jsonFields = ['since', 'operation', 'total', 'operations', 'slowest', 'over_baseline'];

  static override flags = {
    since: Flags.string({ description: 'Only calls in this span before now: 30m, 1h, 24h, 7d…' }),
    operation: Flags.string({ description: 'Only this operation, e.g. listTasks (as listed without it)' }),
  };

  async run(): Promise<void> {
    const since = this.flags.since === undefined ? undefined : Date.now() - parseSince(this.flags.since);
    const { entries } = await readMetricsLog();
    const report = summarize(entries, { since, operation: this.flags.operation });
    await this.print(report, (result) => this.#render(result, entries.length));
  }

  #render(report: PerformanceReport, logged: number): string {
    const { colors } = this;
    const { total } = report;
    if (total === null) {
      if (logged === 0) return `No API calls logged yet (${metricsPath()}). Run a few commands, then try again.`;
      const what = report.operation === null ? 'No API calls' : `No calls of ${report.operation}`;
      return `${what} logged${report.since === null ? '' : ` since ${report.since}`} (${logged} call${logged === 1 ? '' : 's'} in the log).`;
    }
    const lines: string[] = [];
    const scope = `${total.count} API call${total.count === 1 ? '' : 's'}${report.since === null ? '' : ` since ${report.since}`}`;
    lines.push(
      `${colors.bold(scope)}: average ${formatMs(total.avg_ms)}, p50 ${formatMs(total.p50_ms)}, p95 ${formatMs(total.p95_ms)}, ` +
        `max ${formatMs(total.max_ms)}, ${formatRate(total.success_rate)} succeeded`,
      '',
    );
    lines.push(
      table<OperationStats>(
        report.operations,
        [
          { header: 'operation', value: (row) => row.operation },
          { header: 'calls', value: (row) => String(row.count) },
          { header: 'avg', value: (row) => formatMs(row.avg_ms) },
          { header: 'p50', value: (row) => formatMs(row.p50_ms) },
          { header: 'p95', value: (row) => (row.over_baseline ? colors.red(formatMs(row.p95_ms)) : formatMs(row.p95_ms)) },
          { header: 'max', value: (row) => formatMs(row.max_ms) },
          { header: 'ok', value: (row) => formatRate(row.success_rate) },
        ],
        colors,
        this.tty,
      ),
      '',
    );
    lines.push(`Slowest (p95): ${report.slowest.map((slow) => `${slow.operation} ${formatMs(slow.p95_ms)}`).join(', ')}`);
    const over = report.operations.filter((stats) => stats.over_baseline);
    if (over.length === 0) {
      lines.push(`${colors.green('✓')} Every operation's p95 is within the baseline (${baselineMs} ms per call).`);
    } else {
      for (const stats of over) {
        const measured =
          stats.per_record_p95_ms === undefined
            ? `p95 ${formatMs(stats.p95_ms)} > ${stats.baseline_ms} ms per call`
            : `p95 ${formatMs(stats.per_record_p95_ms)} per record > ${stats.baseline_ms} ms per record`;
        lines.push(`${colors.yellow('!')} ${stats.operation} is over the baseline: ${measured}`);
      }
    }
    return lines.join('\n');
  }
}
