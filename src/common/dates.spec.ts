import { addDays, addMonthsToDate, daysBetween, stockholmDate } from './dates';

describe('calendar dates', () => {
  it('adds months clamped to the month end, always from the anchor', () => {
    expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDate('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsToDate('2026-01-31', 2)).toBe('2026-03-31');
    expect(addMonthsToDate('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonthsToDate('2026-11-15', 14)).toBe('2028-01-15');
    expect(addMonthsToDate('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonthsToDate('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('counts days across month, year and leap-day boundaries', () => {
    expect(daysBetween('2026-02-28', '2026-03-01')).toBe(1);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
  });

  it('names the Swedish calendar day of an instant on both sides of the DST switches', () => {
    // Summer time starts 2026-03-29 01:00 UTC and ends 2026-10-25 01:00 UTC.
    expect(stockholmDate(new Date('2026-03-28T22:59:59Z'))).toBe('2026-03-28');
    expect(stockholmDate(new Date('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    expect(stockholmDate(new Date('2026-03-29T21:59:59Z'))).toBe('2026-03-29');
    expect(stockholmDate(new Date('2026-03-29T22:00:00Z'))).toBe('2026-03-30');
    expect(stockholmDate(new Date('2026-10-24T21:59:59Z'))).toBe('2026-10-24');
    expect(stockholmDate(new Date('2026-10-24T22:00:00Z'))).toBe('2026-10-25');
    expect(stockholmDate(new Date('2026-10-25T22:59:59Z'))).toBe('2026-10-25');
    expect(stockholmDate(new Date('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
  });
});
