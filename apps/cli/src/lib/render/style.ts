import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

const set = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0';

/**
 * Colours on a TTY unless NO_COLOR, --no-color, CLICOLOR=0 or TERM=dumb; FORCE_COLOR or
 * CLICOLOR_FORCE (not 0) force them, also into a pipe (e.g. for `less -R`). NO_COLOR and
 * --no-color win over forcing, as in gh.
 */
export function colorsFor(stream: NodeJS.WriteStream, noColorFlag: boolean, env: NodeJS.ProcessEnv = process.env): Colors {
  const forced = (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') || set(env.CLICOLOR_FORCE);
  if (noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return pc.createColors(false);
  const disabled = env.TERM === 'dumb' || env.CLICOLOR === '0';
  // isTTY is undefined on a pipe (whatever the types say); createColors(undefined) would fall
  // back to picocolors' own guess, which is on wherever CI is set.
  const terminal = (stream as { isTTY?: boolean }).isTTY ?? false;
  return pc.createColors(forced || (!disabled && terminal));
}

const statusColor = {
  pending: 'white',
  in_progress: 'cyan',
  blocked: 'red',
  completed: 'green',
  cancelled: 'gray',
} as const;

/** A task status, coloured with a marker (● for open work, ✓ done, ✗ cancelled). */
export function status(colors: Colors, value: string): string {
  if (!colors.isColorSupported) return value;
  const color = statusColor[value as keyof typeof statusColor] as keyof Colors | undefined;
  const marker = value === 'completed' ? '✓' : value === 'cancelled' ? '✗' : '●';
  const paint = color === undefined ? (text: string) => text : (colors[color] as (text: string) => string);
  return paint(`${marker} ${value}`);
}

/** A priority with an arrow marker: ↓ low, → medium, ↑ high, ‼ critical. */
export function priority(colors: Colors, value: string): string {
  if (!colors.isColorSupported) return value;
  switch (value) {
    case 'low':
      return colors.dim(`↓ ${value}`);
    case 'medium':
      return `→ ${value}`;
    case 'high':
      return colors.yellow(`↑ ${value}`);
    case 'critical':
      return colors.bold(colors.red(`‼ ${value}`));
    default:
      return value;
  }
}

/** A sprint or project status. */
export function state(colors: Colors, value: string): string {
  if (!colors.isColorSupported) return value;
  if (value === 'active') return colors.green(value);
  if (value === 'completed' || value === 'archived') return colors.gray(value);
  return colors.cyan(value);
}
