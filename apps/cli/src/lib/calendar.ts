// Calendar days as the API spells them (YYYY-MM-DD), and arithmetic on them done in UTC, so
// that no daylight-saving change can make a day 23 or 25 hours long.
import { usageError } from './errors.js';

const dayMs = 24 * 60 * 60 * 1000;

/** Today on the local calendar (where the user is), as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The calendar day `days` after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** A length in days: `10d` or `2w` (a week is 7 days), at least one day. */
export function lengthInDays(value: string, flag: string): number {
  const match = /^\s*(\d{1,4})\s*([dw])\s*$/i.exec(value);
  const count = match === null ? 0 : Number(match[1]) * (match[2]?.toLowerCase() === 'w' ? 7 : 1);
  if (count < 1) throw usageError(`${flag} must be a number of days or weeks, e.g. 10d or 2w; got "${value}".`);
  return count;
}

/** A calendar day `YYYY-MM-DD` that exists; a usage error naming the flag otherwise. */
export function calendarDate(value: string, flag: string): string {
  const trimmed = value.trim();
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(trimmed) && !Number.isNaN(Date.parse(`${trimmed}T00:00:00Z`)) && new Date(`${trimmed}T00:00:00Z`).toISOString().startsWith(trimmed);
  if (!valid) throw usageError(`${flag} must be a calendar date YYYY-MM-DD, got "${value}".`, 'For example 2026-11-02.');
  return trimmed;
}
