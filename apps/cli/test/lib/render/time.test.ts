import { describe, expect, it } from 'vitest';
import { relativeTime, timeFormat } from '../../../src/lib/render/time.js';

const now = Date.parse('2026-12-01T12:00:00Z');
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe('relativeTime', () => {
  const cases: [string, { at: number; want: string }][] = [
    ['now', { at: now, want: 'just now' }],
    ['59 s ago', { at: now - 59_000, want: 'just now' }],
    ['a server clock a little ahead', { at: now + 5_000, want: 'just now' }],
    ['1 min ago', { at: now - minute, want: '1 minute ago' }],
    ['59 min 59 s ago', { at: now - hour + 1000, want: '59 minutes ago' }],
    ['2 h 59 min ago: whole hours', { at: now - 3 * hour + minute, want: '2 hours ago' }],
    ['in 3 days', { at: now + 3 * day + hour, want: 'in 3 days' }],
    ['yesterday', { at: now - day, want: '1 day ago' }],
    ['29 days ago', { at: now - 29 * day, want: '29 days ago' }],
    ['90 days ago', { at: now - 90 * day, want: '3 months ago' }],
    ['364 days ago', { at: now - 364 * day, want: '11 months ago' }],
    ['two years ago', { at: now - 2 * 365 * day, want: '2 years ago' }],
    ['in a year', { at: now + 400 * day, want: 'in 1 year' }],
  ];
  it.each(cases)('%s', (_, { at, want }) => {
    expect(relativeTime(at, now)).toBe(want);
  });
});

describe('timeFormat', () => {
  it('on a terminal, relative to now', () => {
    expect(timeFormat(true, () => now)('2026-12-01T10:00:00Z')).toBe('2 hours ago');
    expect(timeFormat(true, () => now)('2026-12-01T10:00:00.123+00:00')).toBe('1 hour ago');
  });

  it('piped, the timestamp exactly as given', () => {
    expect(timeFormat(false, () => now)('2026-12-01T10:00:00.123456Z')).toBe('2026-12-01T10:00:00.123456Z');
  });

  it('text that is not a timestamp stays', () => {
    expect(timeFormat(true, () => now)('-')).toBe('-');
  });
});
