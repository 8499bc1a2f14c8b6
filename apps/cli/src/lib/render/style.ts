import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** Colours on a TTY unless NO_COLOR or --no-color; FORCE_COLOR=1 forces them (e.g. for `less -R`). */
export function colorsFor(stream: NodeJS.WriteStream, noColorFlag: boolean, env: NodeJS.ProcessEnv = process.env): Colors {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const disabled = noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb';
  // isTTY is undefined on a pipe (whatever the types say); createColors(undefined) would fall
  // back to picocolors' own guess, which is on wherever CI is set.
  const terminal = (stream as { isTTY?: boolean }).isTTY ?? false;
  return pc.createColors(!disabled && (forced || terminal));
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
