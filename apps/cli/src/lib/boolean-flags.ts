// oclif 4 reads `--debug=false` as `--debug` followed by the argument `false` (a boolean
// flag takes no value), so `--debug=false` would turn debugging on, or fail as an
// unexpected argument. Like gh (pflag), a boolean flag here also takes `=true`/`=false`
// (`=1`/`=0`): the command line is rewritten to what oclif reads before it parses it.
import { usageError } from './errors.js';

const values: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/**
 * `--name=true|1` → `--name`; `--name=false|0` → nothing, and an earlier `--name` goes too
 * (the last one wins). Tokens after `--` are arguments and stay as they are. A usage error
 * for another value.
 */
export function normaliseBooleanFlags(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] ?? '';
    if (token === '--') {
      out.push(...argv.slice(index));
      break;
    }
    const flag = booleanAssignment(token, names);
    if (flag === undefined) {
      out.push(token);
      continue;
    }
    const value = values[flag.value.toLowerCase()];
    if (value === undefined) throw usageError(`--${flag.name} is on or off: pass --${flag.name}, --${flag.name}=true or --${flag.name}=false (1 or 0), not "${flag.value}".`);
    for (let earlier = out.indexOf(`--${flag.name}`); earlier !== -1; earlier = out.indexOf(`--${flag.name}`)) out.splice(earlier, 1);
    if (value) out.push(`--${flag.name}`);
  }
  return out;
}

/**
 * Whether a boolean flag is on, read from the raw command line as normaliseBooleanFlags
 * reads it (for catch() when parsing failed): the last of `--name` and `--name=value` wins;
 * a value it cannot read counts as off.
 */
export function booleanFlagIn(argv: readonly string[], name: string): boolean {
  let on = false;
  for (const token of argv) {
    if (token === '--') break;
    if (token === `--${name}`) on = true;
    const flag = booleanAssignment(token, [name]);
    if (flag !== undefined) on = values[flag.value.toLowerCase()] === true;
  }
  return on;
}

function booleanAssignment(token: string, names: readonly string[]): { name: string; value: string } | undefined {
  if (!token.startsWith('--')) return undefined;
  const equals = token.indexOf('=');
  if (equals === -1) return undefined;
  const name = token.slice(2, equals);
  return names.includes(name) ? { name, value: token.slice(equals + 1) } : undefined;
}
