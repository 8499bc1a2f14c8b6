import type { Health } from '@dtm/sdk';
import { DtmCommand } from '../../base-command.js';
import { humanSpan } from '../../lib/credentials.js';
import { describeError } from '../../lib/describe-error.js';
import { ExitCode } from '../../lib/errors.js';
import { formatMs } from '../../lib/performance.js';
import { details } from '../../lib/render/table.js';
import { isUnreachable } from '../../lib/sdk-errors.js';

interface HealthResult {
  api_url: string;
  /** ok, degraded, down; or unreachable when no answer came. */
  status: Health['status'] | 'unreachable';
  version: string | null;
  database: Health['database'] | null;
  uptime_seconds: number | null;
  /** Time from sending the request to having the checked answer. */
  round_trip_ms: number;
  error?: string;
}

export default class StatusHealth extends DtmCommand<typeof StatusHealth> {
  static override summary = "Check the API's health and round-trip time";
  static override description =
    'Calls GET /health once, without retries, bounded by the auth timeout (DTM_AUTH_TIMEOUT, 5 s by default). ' +
    'Exit code 0 when the API is ok or degraded, 1 when it is down or cannot be reached.';
  static override examples = ['<%= config.bin %> status health', '<%= config.bin %> status health --json status,round_trip_ms'];
  static override jsonFields = ['api_url', 'status', 'version', 'database', 'uptime_seconds', 'round_trip_ms', 'error'];

  async run(): Promise<void> {
    const { apiUrl } = this.settings;
    const client = await this.client();
    const started = performance.now();
    let result: HealthResult;
    try {
      const health = await client.health({ timeoutMs: this.settings.authTimeoutMs, retries: 0 });
      result = { api_url: apiUrl, ...health, round_trip_ms: elapsed(started) };
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      const { message } = describeError(error);
      result = { api_url: apiUrl, status: 'unreachable', version: null, database: null, uptime_seconds: null, round_trip_ms: elapsed(started), error: message };
    }
    await this.print(result, (health) => this.#render(health));
    if (result.status === 'down' || result.status === 'unreachable') this.exit(ExitCode.failure);
  }

  #render(health: HealthResult): string {
    const { colors } = this;
    if (health.status === 'unreachable') {
      process.stderr.write(`${colors.dim('Hint:')} Check that the server is running and that the API URL is right (\`dtm config list\` shows where it comes from).\n`);
      return `${colors.red('✗')} ${health.api_url} is unreachable: ${health.error ?? ''} (after ${formatMs(health.round_trip_ms)})`;
    }
    const mark = health.status === 'ok' ? colors.green('✓') : health.status === 'degraded' ? colors.yellow('!') : colors.red('✗');
    const paint = health.status === 'ok' ? colors.green : health.status === 'degraded' ? colors.yellow : colors.red;
    const database = health.database
      ? `${health.database.status}${health.database.latency_ms === null || health.database.latency_ms === undefined ? '' : ` (${formatMs(health.database.latency_ms)})`}`
      : '-';
    return `${mark} ${health.api_url} is ${paint(health.status)}\n${details(
      [
        ['version', health.version ?? '-'],
        ['database', database],
        ['uptime', health.uptime_seconds === null ? '-' : humanSpan(health.uptime_seconds * 1000)],
        ['round trip', formatMs(health.round_trip_ms)],
      ],
      colors,
    )}`;
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
