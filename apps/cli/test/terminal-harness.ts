// Runs the built `dtm` in a pseudo-terminal (util-linux `script`), for what only happens on
// a terminal: confirmation prompts, colours and charts by default. Same environment as the
// sandbox's own runs.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bin, type Sandbox } from './harness.js';

export interface TerminalResult {
  code: number | null;
  /** Everything the terminal showed (stdout and stderr), with \r\n turned into \n. */
  output: string;
}

/** True where `script -qec` gives a pseudo-terminal (Linux, util-linux). */
export const canRunInTerminal = process.platform === 'linux';

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

export interface TerminalOptions {
  /** The terminal's size; without it the pseudo-terminal has none (0 × 0: no width limit, no pager). */
  size?: { columns: number; rows: number };
  /** More environment variables (e.g. DTM_PAGER). */
  env?: Record<string, string>;
}

export function runInTerminal(box: Sandbox, args: readonly string[], input = '', options: TerminalOptions = {}): Promise<TerminalResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('DTM_') || ['FORCE_COLOR', 'NO_COLOR', 'PAGER', 'LESS'].includes(key)) continue;
    env[key] = value;
  }
  Object.assign(env, {
    DTM_API_URL: box.url,
    DTM_CONFIG_DIR: box.configDir,
    DTM_DATA_DIR: box.dataDir,
    DTM_CACHE_DIR: join(box.dataDir, '..', 'cache'),
    DTM_CREDENTIAL_STORE: 'file',
    TERM: 'xterm-256color',
    COLUMNS: '100',
  });
  Object.assign(env, options.env);
  let command = [process.execPath, bin, ...args].map(quote).join(' ');
  // `script` gives its pseudo-terminal the size of its own terminal, which a test run has none of.
  if (options.size) command = `stty cols ${options.size.columns} rows ${options.size.rows} && exec ${command}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.replace(/\r\n/g, '\n') });
    });
  });
}
