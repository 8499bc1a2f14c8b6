import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CliError } from './errors.js';

/** Reads a secret from the terminal without echoing it. */
export async function promptSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CliError('No terminal to ask for the password.', {
      hint: 'Pipe it in with --password-stdin, e.g. `dtm auth login --username demo --password-stdin < password-file`.',
      code: 'usage',
      exitCode: 2,
    });
  }
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

/** Reads a line from the terminal (echoed), e.g. a username. */
export async function promptLine(question: string): Promise<string> {
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
