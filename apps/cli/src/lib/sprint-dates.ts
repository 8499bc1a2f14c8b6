// The dates of a new sprint when the command line leaves them out: it starts today, or the
// day after the project's latest sprint ends when that is later, and lasts --length (2w).
import { addDays, calendarDate, lengthInDays } from './calendar.js';
import { usageError } from './errors.js';

export const defaultLength = '2w';

export interface SprintDateFlags {
  start?: string | undefined;
  end?: string | undefined;
  length?: string | undefined;
}

/** True when the start is to be worked out, from the project's sprints. */
export function needsProjectSprints(flags: SprintDateFlags): boolean {
  return flags.start === undefined;
}

/** The usage errors the date flags can have, found before anything is read. */
export function checkDateFlags(flags: SprintDateFlags): void {
  if (flags.length !== undefined && flags.end !== undefined) {
    throw usageError('--length and --end cannot be used together.', '--end names the last day; --length counts the days from --start.');
  }
  if (flags.start !== undefined) calendarDate(flags.start, '--start');
  if (flags.end !== undefined) calendarDate(flags.end, '--end');
  if (flags.length !== undefined) lengthInDays(flags.length, '--length');
}

/**
 * The first and last day. `today` is the local calendar date; `latestEnd` the last day of the
 * project's latest-ending sprint (undefined when it has none). End = start + length − 1 day.
 */
export function sprintDates(flags: SprintDateFlags, today: string, latestEnd: string | undefined): { start: string; end: string } {
  checkDateFlags(flags);
  let start: string;
  if (flags.start === undefined) {
    const afterLatest = latestEnd === undefined ? undefined : addDays(latestEnd, 1);
    start = afterLatest !== undefined && afterLatest > today ? afterLatest : today;
  } else {
    start = calendarDate(flags.start, '--start');
  }
  const end = flags.end ?? addDays(start, lengthInDays(flags.length ?? defaultLength, '--length') - 1);
  return { start, end };
}

/** The last day of the latest-ending of these sprints. */
export function latestEnd(sprints: readonly { end_date: string }[]): string | undefined {
  return sprints.reduce<string | undefined>((latest, sprint) => (latest === undefined || sprint.end_date > latest ? sprint.end_date : latest), undefined);
}
