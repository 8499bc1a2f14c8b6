import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { DtmCommand } from '../../base-command.js';
import { csvFormulaGuard } from '../../lib/csv-safe.js';
import { CliError, ExitCode, usageError } from '../../lib/errors.js';
import { showProgress, startProgress } from '../../lib/render/progress.js';
import {
  type ExportFormat,
  PartialExportError,
  type Stages,
  csvCounting,
  exportFormats,
  formatFromPath,
  serializeTasks,
  writeFileFromStream,
  writeToStdout,
} from '../../lib/tasks/export.js';
import { filtersFromFlags, taskFilterFlags } from '../../lib/tasks/filters.js';

export default class TaskExport extends DtmCommand<typeof TaskExport> {
  static override summary = 'Export every matching task as JSON, NDJSON or CSV';
  static override description =
    'Streams the tasks from the server to stdout or to a file without holding them in memory. With --output the file ' +
    'is written as FILE.partial and renamed when complete, so FILE is never half written; an export that stops early ' +
    '(Ctrl-C or SIGTERM: exit code 130 or 143; the server stalls for the request timeout, or fails) keeps what arrived ' +
    'in FILE.partial and says so. The format defaults to the ' +
    "file's extension (.json, .ndjson/.jsonl, .csv). CSV is the server's: RFC 4180 quoting, tags joined with ';'; " +
    "a cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR; a plain negative number excepted) gets a leading '.";
  static override examples = [
    '<%= config.bin %> task export --format csv --output tasks.csv',
    '<%= config.bin %> task export --format ndjson --project PRJ-001 --status completed > done.ndjson',
    '<%= config.bin %> task export --output tasks.json --json',
  ];
  static override jsonFields = ['file', 'format', 'count'];

  static override flags = {
    format: Flags.option({ options: exportFormats, char: 'f', description: 'json (one array), ndjson (one task per line) or csv' })(),
    output: Flags.string({ char: 'o', description: 'Write to this file instead of stdout' }),
    ...taskFilterFlags,
  };

  async run(): Promise<void> {
    const { flags } = this;
    const output = flags.output;
    const format: ExportFormat | undefined = flags.format ?? (output === undefined ? undefined : formatFromPath(output));
    if (format === undefined) {
      const hint = output === undefined ? undefined : 'Or name the file .json, .ndjson or .csv.';
      throw usageError('Which format? Pass --format json, ndjson or csv.', hint);
    }
    if (this.json && output === undefined) {
      throw usageError(
        '--json needs --output: without a file the export itself goes to stdout, and it is already machine-readable.',
        'Drop --json (and pick --format json), or add --output FILE to get {file, format, count} as JSON.',
      );
    }
    const filters = filtersFromFlags(flags);
    const client = await this.client();

    // SIGINT and SIGTERM stop the download at once; what arrived is still written out, into
    // FILE.partial. A second signal finds no handler and ends the process outright.
    const controller = new AbortController();
    const { signal } = controller;
    let stoppedBy: Interruption | undefined;
    const stopOn = (name: Interruption) => (): void => {
      stoppedBy = name;
      controller.abort();
    };
    const onSigint = stopOn('SIGINT');
    const onSigterm = stopOn('SIGTERM');
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
    // A running count on stderr, unless it would land in the middle of the data on the same terminal.
    const progress = await startProgress({
      enabled: showProgress(this.json) && (output !== undefined || !process.stdout.isTTY),
      label: 'Exporting',
      unit: 'tasks',
    });
    let count = 0;
    const onRecords = (records: number): void => {
      count = records;
      progress.update(records);
    };
    try {
      const stages: Stages =
        format === 'csv'
          ? { source: await client.tasks.exportCsv(filters, { signal }), transforms: [csvFormulaGuard(), csvCounting(onRecords).stream] }
          : { source: serializeTasks(client.tasks.export(filters, { signal }), format, onRecords), transforms: [] };
      if (output === undefined) await writeToStdout(stages, signal);
      else await writeFileFromStream(output, stages);
    } catch (error) {
      const stopped = error instanceof PartialExportError ? error : undefined;
      if (stoppedBy) throw interrupted(stoppedBy, count, stopped?.partial);
      if (!stopped) throw error;
      this.note(`The ${tasks(count)} received before the failure are in ${stopped.partial}.`);
      throw stopped.cause;
    } finally {
      progress.stop();
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    }

    const noun = tasks(count);
    if (output === undefined) {
      if (process.stderr.isTTY) process.stderr.write(`${this.colors.dim(`Exported ${noun}.`)}\n`);
      return;
    }
    if (this.json) await this.print({ file: resolve(output), format, count }, () => '');
    else this.note(`${this.colors.green('✓')} Exported ${noun} to ${output}`);
  }
}

type Interruption = 'SIGINT' | 'SIGTERM';

const tasks = (count: number): string => `${count} task${count === 1 ? '' : 's'}`;

/** One line: what stopped the export, and where what arrived is; the exit code says which signal. */
function interrupted(signal: Interruption, count: number, kept: string | undefined): CliError {
  return new CliError(`Export interrupted (${signal}) after ${tasks(count)}${kept === undefined ? '' : `; what arrived is in ${kept}`}.`, {
    exitCode: signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated,
    code: 'interrupted',
  });
}
