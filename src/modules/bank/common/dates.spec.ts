import { addDays, dayNumber, fromDayNumber, isCalendarDate, stockholmDate } from './dates';

describe('bank dates', () => {
  it('dayNumber agrees with Date.UTC over four centuries of dates', () => {
    for (let day = -200_000; day < 200_000; day += 37) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (!/^\d{4}-/.test(iso)) continue;
      expect(dayNumber(iso)).toBe(day);
    }
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2024-02-29') - dayNumber('2024-02-28')).toBe(1);
  });

  it('validates calendar dates and moves by days', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(fromDayNumber(dayNumber('2026-03-01') - 1)).toBe('2026-02-28');
  });

  it('takes the Swedish calendar date of an instant', () => {
    expect(stockholmDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(stockholmDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    expect(stockholmDate(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });
});
