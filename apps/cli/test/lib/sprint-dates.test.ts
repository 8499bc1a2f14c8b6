import { describe, expect, it } from 'vitest';
import { addDays, lengthInDays, localToday } from '../../src/lib/calendar.js';
import { CliError } from '../../src/lib/errors.js';
import { latestEnd, sprintDates } from '../../src/lib/sprint-dates.js';

describe('calendar arithmetic', () => {
  it.each([
    { given: ['2026-03-28', 1], want: '2026-03-29' },
    // Daylight-saving changes in Europe and the US: still one calendar day each.
    { given: ['2026-03-29', 1], want: '2026-03-30' },
    { given: ['2026-11-01', 1], want: '2026-11-02' },
    { given: ['2028-02-28', 1], want: '2028-02-29' },
    { given: ['2026-12-31', 1], want: '2027-01-01' },
    { given: ['2026-03-01', -1], want: '2026-02-28' },
  ] as const)('addDays($given) → $want', ({ given, want }) => {
    expect(addDays(given[0], given[1])).toBe(want);
  });

  it.each([
    { given: '2w', want: 14 },
    { given: '10d', want: 10 },
    { given: ' 1W ', want: 7 },
  ])('lengthInDays($given) → $want', ({ given, want }) => {
    expect(lengthInDays(given, '--length')).toBe(want);
  });

  it.each(['0d', '2', 'w', '2m', '-1d', ''])('lengthInDays(%j) is a usage error', (given) => {
    expect(() => lengthInDays(given, '--length')).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining('--length must be') as unknown }) as CliError);
  });

  it('localToday is the local calendar date', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localToday(new Date(2026, 11, 31, 0, 0))).toBe('2026-12-31');
  });
});

describe('sprintDates', () => {
  it.each([
    { name: 'today and 2 weeks by default (a Monday start ends on the Sunday 13 days later)', flags: {}, latest: undefined, want: { start: '2026-11-02', end: '2026-11-15' } },
    { name: 'the day after the latest sprint, when that is later than today', flags: {}, latest: '2026-11-13', want: { start: '2026-11-14', end: '2026-11-27' } },
    { name: 'today, when the latest sprint ended before', flags: {}, latest: '2026-10-30', want: { start: '2026-11-02', end: '2026-11-15' } },
    { name: 'today, when the latest sprint ended yesterday', flags: {}, latest: '2026-11-01', want: { start: '2026-11-02', end: '2026-11-15' } },
    { name: '--length 10d', flags: { length: '10d' }, latest: undefined, want: { start: '2026-11-02', end: '2026-11-11' } },
    { name: '--length 1d is one day', flags: { length: '1d' }, latest: undefined, want: { start: '2026-11-02', end: '2026-11-02' } },
    { name: '--start given', flags: { start: '2027-01-04', length: '1w' }, latest: '2027-06-01', want: { start: '2027-01-04', end: '2027-01-10' } },
    { name: '--end given', flags: { end: '2026-11-06' }, latest: undefined, want: { start: '2026-11-02', end: '2026-11-06' } },
  ])('$name', ({ flags, latest, want }) => {
    expect(sprintDates(flags, '2026-11-02', latest)).toEqual(want);
  });

  it('--length with --end is a usage error', () => {
    expect(() => sprintDates({ end: '2026-11-06', length: '1w' }, '2026-11-02', undefined)).toThrow('--length and --end cannot be used together.');
  });

  it('latestEnd is the last end date, or undefined', () => {
    expect(latestEnd([])).toBeUndefined();
    expect(latestEnd([{ end_date: '2026-11-13' }, { end_date: '2026-12-11' }, { end_date: '2026-10-02' }])).toBe('2026-12-11');
  });
});
