import {
  addDays,
  daysBetween,
  daysUntil,
  isCalendarDate,
  isSupportedInstant,
  lastDayBefore,
  midnightAfterDays,
  startOfStockholmDay,
  stockholmDate,
} from './billing.dates';

describe('Stockholm calendar arithmetic', () => {
  it('finds the Stockholm day of an instant across the UTC date line', () => {
    expect(stockholmDate(new Date('2026-01-14T22:59:59Z'))).toBe('2026-01-14'); // 23:59:59 CET
    expect(stockholmDate(new Date('2026-01-14T23:00:00Z'))).toBe('2026-01-15'); // 00:00 CET
    expect(stockholmDate(new Date('2026-07-14T21:59:59Z'))).toBe('2026-07-14'); // 23:59:59 CEST
    expect(stockholmDate(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15'); // 00:00 CEST
  });

  it('puts midnight at 23:00Z in winter and 22:00Z in summer, also on the DST days', () => {
    expect(startOfStockholmDay('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfStockholmDay('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    // 2026-03-29: clocks go 02:00 → 03:00; midnight is still CET
    expect(startOfStockholmDay('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfStockholmDay('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // 2026-10-25: clocks go 03:00 → 02:00; midnight is still CEST
    expect(startOfStockholmDay('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfStockholmDay('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('adds calendar days, not 24-hour blocks, over a DST change', () => {
    const start = startOfStockholmDay('2026-03-10');
    const end = midnightAfterDays(start, 30);
    expect(stockholmDate(end)).toBe('2026-04-09');
    expect(end.toISOString()).toBe('2026-04-08T22:00:00.000Z');
    expect(end.getTime() - start.getTime()).toBe(30 * 24 * 3600 * 1000 - 3600 * 1000);
    // an afternoon instant counts from its own day
    expect(midnightAfterDays(new Date('2026-03-10T15:30:00Z'), 1).toISOString()).toBe(
      '2026-03-10T23:00:00.000Z',
    );
  });

  it('counts days between dates and days left until a boundary', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2028-02-27', 2)).toBe('2028-02-29');
    expect(daysBetween('2026-04-01', '2026-04-09')).toBe(8);
    expect(daysBetween('2026-04-09', '2026-04-01')).toBe(-8);
    const boundary = startOfStockholmDay('2026-04-09');
    expect(daysUntil(boundary, new Date('2026-04-06T01:15:00Z'))).toBe(3);
    expect(daysUntil(boundary, new Date('2026-04-09T01:15:00Z'))).toBe(0);
    expect(daysUntil(boundary, new Date('2026-04-12T01:15:00Z'))).toBe(0);
  });

  it('names the last full day before a midnight boundary', () => {
    expect(lastDayBefore(startOfStockholmDay('2026-04-09'))).toBe('2026-04-08');
    expect(lastDayBefore(new Date('2026-04-09T12:00:00Z'))).toBe('2026-04-09');
  });

  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(() => startOfStockholmDay('2026-02-30')).toThrow(RangeError);
  });

  it('accepts dates and instants only in the years 1970–2199, so computed boundaries stay four-digit years', () => {
    expect(isCalendarDate('1970-01-01')).toBe(true);
    expect(isCalendarDate('2199-12-31')).toBe(true);
    expect(isCalendarDate('1969-12-31')).toBe(false);
    expect(isCalendarDate('2200-01-01')).toBe(false);
    expect(isCalendarDate('9999-12-31')).toBe(false);
    // the latest accepted day still survives a year of period, grace and reminders added to it
    expect(midnightAfterDays(startOfStockholmDay('2199-12-31'), 366 + 90 + 60)).toEqual(
      startOfStockholmDay('2201-05-31'),
    );
    expect(isSupportedInstant(new Date('2026-06-01T12:00:00Z'))).toBe(true);
    expect(isSupportedInstant(new Date(253402300800 * 1000))).toBe(false); // 10000-01-01
    expect(isSupportedInstant(new Date(1e20 * 1000))).toBe(false); // Invalid Date
    expect(isSupportedInstant(new Date(-1000))).toBe(false);
  });
});
