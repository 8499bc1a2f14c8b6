// `dtm task creat`: one error naming the command the way it was typed (with spaces, its control
// characters shown rather than obeyed), the closest command as a hint, exit code 2. Under
// --json the error is a JSON document on stdout, as for every other error.
import type { Hook } from '@oclif/core';
import { distance } from '../lib/edit-distance.js';
import { ExitCode } from '../lib/errors.js';
import { safeText } from '../lib/render/safe-text.js';

export { distance };

/** The command closest to what was typed, when it is close enough to be a typo. */
export function closestCommand(typed: string, commands: readonly string[]): string | undefined {
  let best: { id: string; score: number } | undefined;
  for (const id of commands) {
    const score = distance(typed, id);
    if (best === undefined || score < best.score) best = { id, score };
  }
  return best !== undefined && best.score <= Math.max(2, Math.floor(typed.length / 4)) ? best.id : undefined;
}

const hook: Hook.CommandNotFound = async function (options) {
  const spaced = (id: string): string => id.replaceAll(':', ' ');
  const typed = safeText(spaced(options.id));
  const suggestion = closestCommand(options.id, options.config.commandIDs);
  const message = `\`dtm ${typed}\` is not a dtm command.`;
  const hint = suggestion === undefined ? 'Run `dtm --help` to see the commands.' : `Did you mean \`dtm ${spaced(suggestion)}\`? (\`dtm --help\` lists them all.)`;
  const json = (options.argv ?? []).some((token) => token === '--json' || token.startsWith('--json='));
  const [stream, text] = json
    ? [process.stdout, `${JSON.stringify({ error: { code: 'unknown_command', message, hint } }, null, 2)}\n`]
    : [process.stderr, `Error: ${message}\nHint: ${hint}\n`];
  // Written out before the exit, also into a pipe.
  await new Promise((resolve) => stream.write(text, resolve));
  this.exit(ExitCode.usage);
};

export default hook;
