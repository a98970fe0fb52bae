import {
  addDays,
  addMonths,
  isCalendarDate,
  isPeriod,
  periodBounds,
  periodsBetween,
  stockholmDate,
} from './dates';

describe('calendar dates and periods', () => {
  it('accepts real dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(isCalendarDate('2024-1-01')).toBe(false);
    expect(isCalendarDate('1899-12-31')).toBe(false);
    expect(isPeriod('2026-11')).toBe(true);
    expect(isPeriod('2026-00')).toBe(false);
  });

  it('moves periods across years', () => {
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-01', -13)).toBe('2024-12');
    expect(periodsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodsBetween('2026-02', '2026-01')).toEqual([]);
    expect(periodBounds('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });

  it('uses the Swedish calendar date', () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in Stockholm (UTC+1 in winter)
    expect(stockholmDate(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    // 21:30 UTC on 30 Jun is 23:30 in Stockholm (UTC+2 in summer)
    expect(stockholmDate(new Date('2026-06-30T21:30:00Z'))).toBe('2026-06-30');
  });
});
