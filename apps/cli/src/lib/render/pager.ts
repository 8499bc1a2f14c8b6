// Long text output on a terminal goes through a pager, as with git and gh: DTM_PAGER, else
// PAGER, else less when it is on PATH, with LESS=FRX (quit when it fits on one screen, keep
// the colours, leave the text on the screen) unless LESS is set. An empty value or `cat` is
// no pager. Piped output and --json never page.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { terminalSize } from './terminal.js';
import { displayWidth } from './width.js';

/** True when an executable `name` is in one of PATH's directories. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const names = process.platform === 'win32' ? [`${name}.exe`, `${name}.com`] : [name];
  return (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) =>
      names.some((file) => {
        try {
          accessSync(join(dir, file), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
    );
}

/** The pager's command line, or undefined for none. */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env, hasLess: () => boolean = () => onPath('less', env)): string | undefined {
  const chosen = (env.DTM_PAGER ?? env.PAGER ?? (hasLess() ? 'less' : '')).trim();
  return chosen === '' || chosen === 'cat' ? undefined : chosen;
}

/** The rows `text` takes on a terminal `columns` wide (a long line wraps onto more). */
export function screenLines(text: string, columns: number | undefined): number {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  if (columns === undefined) return lines.length;
  return lines.reduce((rows, line) => rows + Math.max(1, Math.ceil(displayWidth(line) / columns)), 0);
}

export interface PageOptions {
  /** False under --no-pager. */
  enabled: boolean;
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

let warned = false;

/**
 * Writes `text` to stdout: through the pager when stdout is a terminal, the text takes more
 * rows than it has (the prompt needs the last one) and a pager is set or found; else at
 * once. Resolves when the pager has exited: the person may quit it (q) before reading all,
 * which is no error. A pager that cannot start (the shell says 126 or 127) is skipped with
 * one warning, and the text printed directly.
 */
export function page(text: string, options: PageOptions): Promise<void> {
  const stream = options.stream ?? process.stdout;
  const env = options.env ?? process.env;
  const { columns, rows } = terminalSize(stream);
  const command = options.enabled && rows !== undefined && screenLines(text, columns) >= rows ? pagerCommand(env) : undefined;
  if (command === undefined) {
    stream.write(text);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const direct = (): void => {
      if (!warned) process.stderr.write(`Warning: the pager \`${command}\` could not start; printing directly (set DTM_PAGER, or use --no-pager).\n`);
      warned = true;
      stream.write(text);
    };
    // Ctrl-C is the pager's (less stops a search with it); this process waits for the pager to end.
    const ignore = (): void => undefined;
    process.on('SIGINT', ignore);
    let settled = false;
    const done = (failed: boolean): void => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', ignore);
      if (failed) direct();
      resolve();
    };
    // Through the shell, as git does, so that `less -S` or `bat --plain` work as written.
    const child = spawn(command, {
      shell: true,
      stdio: ['pipe', 'inherit', 'inherit'],
      env: { ...env, LESS: env.LESS ?? 'FRX', LV: env.LV ?? '-c' },
    });
    // The pager quitting before it read everything closes the pipe (EPIPE): not an error.
    child.stdin.on('error', () => undefined);
    child.once('error', () => {
      done(true);
    });
    child.once('exit', (code) => {
      done(code === 126 || code === 127);
    });
    child.stdin.end(text);
  });
}
