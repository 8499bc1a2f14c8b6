// Timestamps for a person: "2 hours ago", "in 3 days" on a terminal; piped output keeps the
// RFC 3339 text exactly as the API sent it, for scripts. Calendar dates (a due date, a
// sprint's start and end) are not timestamps and stay as they are.

/** Shows a timestamp (RFC 3339 text). */
export type When = (timestamp: string) => string;

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

const words = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/**
 * How long ago (or from now) `at` is, in its largest whole unit: "just now" within a minute
 * either way (a server's clock a little ahead is not "in 2 seconds"), then minutes, hours,
 * days, months (of 30 days) and years (of 365).
 */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  const span = Math.abs(diff);
  if (span < minute) return 'just now';
  const [count, unit]: [number, Intl.RelativeTimeFormatUnit] =
    span < hour
      ? [span / minute, 'minute']
      : span < day
        ? [span / hour, 'hour']
        : span < 30 * day
          ? [span / day, 'day']
          : span < 365 * day
            ? [Math.min(11, span / (30 * day)), 'month']
            : [span / (365 * day), 'year'];
  const whole = Math.floor(count);
  return words.format(diff < 0 ? -whole : whole, unit);
}

/**
 * Relative times (against `now`, by default the time of each call) or the timestamp as it
 * is; text that is not a timestamp is shown as it is.
 */
export function timeFormat(relative: boolean, now?: () => number): When {
  if (!relative) return (timestamp) => timestamp;
  return (timestamp) => {
    const at = Date.parse(timestamp);
    return Number.isNaN(at) ? timestamp : relativeTime(at, now?.() ?? Date.now());
  };
}
