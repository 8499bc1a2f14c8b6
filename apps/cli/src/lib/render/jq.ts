// `--jq EXPR`: the JSON document filtered by jq itself (jq 1.7 compiled to WebAssembly, the
// `jq-wasm` package), loaded only when a command is given `--jq`. As in `gh`, a string result
// prints without quotes and one result follows another on its own line.
import { CliError, usageError } from '../errors.js';
import { safeText } from './safe-text.js';

/** jq's output for the document (empty when the filter yields nothing), ending in a newline. */
export async function runJq(document: unknown, expression: string, tty: boolean): Promise<string> {
  const { raw } = await import('jq-wasm');
  let output: string;
  try {
    output = await raw(JSON.stringify(document), expression, ['-r']);
  } catch (error) {
    throw jqError(error, expression);
  }
  if (output === '') return '';
  // A raw string from the server can hold control characters: a terminal shows them, a pipe gets them exactly.
  const text = tty ? safeText(output) : output;
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * Fails (exit 2) when jq cannot compile the expression, before the command calls the API:
 * a `dtm task create … --jq '.id['` must not create the task and then fail.
 */
export async function checkJq(expression: string): Promise<void> {
  const { raw } = await import('jq-wasm');
  try {
    await raw('null', expression, ['-r']);
  } catch (error) {
    const failure = jqError(error, expression);
    // A runtime error on `null` says nothing about the real document.
    if (failure.code === 'usage') throw failure;
  }
}

/** A filter jq cannot compile is a usage error (exit 2); one that fails on this document is a failure (exit 1). */
function jqError(error: unknown, expression: string): CliError {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^Failed to execute raw query: /, '');
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (lines.some((line) => /compile errors?$/.test(line))) {
    const reason = (lines[0] ?? message).replace(/^jq: error: /, '').replace(/ \(Unix shell quoting issues\?\)/, '');
    return usageError(`--jq ${JSON.stringify(expression)} is not a valid jq expression: ${reason}`, 'See https://jqlang.org/manual/ for jq\'s syntax; quote the expression for your shell.');
  }
  const reason = (lines[0] ?? message).replace(/^jq: error \(at [^)]*\): /, '');
  return new CliError(`--jq failed on this output: ${reason}`, {
    code: 'jq_error',
    hint: 'Look at the document the filter reads with --json (without --jq).',
  });
}
