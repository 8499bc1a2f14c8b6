import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError, usageError } from './errors.js';

/** DTM_PROMPT_DISABLED set to anything but empty, 0 or false: never ask (as gh's GH_PROMPT_DISABLED). */
export function promptsDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.DTM_PROMPT_DISABLED ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/** Why nothing can be asked now, or undefined when a prompt can be shown. */
function noPromptReason(): string | undefined {
  if (promptsDisabled()) return 'prompts are disabled (DTM_PROMPT_DISABLED)';
  if (!process.stdin.isTTY) return 'there is no terminal to ask';
  return undefined;
}

/** True when a question may be asked: stdin is a terminal and DTM_PROMPT_DISABLED is not set. */
export function canPrompt(): boolean {
  return noPromptReason() === undefined;
}

/**
 * Fails (exit 2) when nothing can be asked: `what` is what was to be asked for, `hint` names the
 * flag to use instead, e.g. `needPrompt('the username', 'Pass --username.')`.
 */
export function needPrompt(what: string, hint: string): void {
  const reason = noPromptReason();
  if (reason !== undefined) throw usageError(`Cannot ask for ${what}: ${reason}.`, hint);
}

/** Asks a yes/no question (default no); anything but y or yes is a refusal. */
export async function promptYes(question: string): Promise<boolean> {
  const answer = await promptLine(`${question} [y/N] `);
  return /^y(es)?$/i.test(answer.trim());
}

/** Reads a secret from the terminal without echoing it. */
export async function promptSecret(question: string): Promise<string> {
  needPrompt('the password', 'Pipe it in with --password-stdin, e.g. `dtm auth login --username demo --password-stdin < password-file`.');
  process.stderr.write(question);
  const muted = new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
  const reader = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      reader.once('line', resolve);
      reader.once('SIGINT', () => {
        reject(new CliError('Cancelled.', { code: 'cancelled' }));
      });
      reader.once('close', () => {
        reject(new CliError('Cancelled.', { code: 'cancelled' }));
      });
    });
  } finally {
    reader.close();
    process.stderr.write('\n');
  }
}

/** Reads all of stdin (for --password-stdin), without the final newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Reads a line from the terminal (echoed), e.g. a username; call needPrompt() first. */
export async function promptLine(question: string): Promise<string> {
  needPrompt('an answer', 'Pass the value as a flag (see `--help`).');
  const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  try {
    return await new Promise<string>((resolve, reject) => {
      reader.question(question, resolve);
      reader.once('close', () => {
        reject(new CliError('Cancelled.', { code: 'cancelled' }));
      });
    });
  } finally {
    reader.close();
  }
}
