import {
  addInterval,
  defaultLeadDays,
  defaultLeadReading,
  firstOccurrenceAfter,
  isOverdue,
  nextDueDate,
  nextDueReading,
  type CalendarSchedule,
} from './recurrence';

const monthly = (overrides: Partial<CalendarSchedule> = {}): CalendarSchedule => ({
  every: 1,
  unit: 'month',
  mode: 'fixed',
  due: '2026-01-31',
  anchor: '2026-01-31',
  ...overrides,
});

describe('intervals', () => {
  it('adds days, weeks, months and years, clamping month ends and leap days', () => {
    expect(addInterval('2026-12-28', 5, 'day')).toBe('2027-01-02');
    expect(addInterval('2026-12-28', 2, 'week')).toBe('2027-01-11');
    expect(addInterval('2026-01-31', 1, 'month')).toBe('2026-02-28');
    expect(addInterval('2028-01-31', 1, 'month')).toBe('2028-02-29');
    expect(addInterval('2028-02-29', 1, 'year')).toBe('2029-02-28');
    expect(addInterval('2028-02-29', 4, 'year')).toBe('2032-02-29');
    expect(addInterval('2026-01-31', 3, 'month', 2)).toBe('2026-07-31');
  });

  it('counts a fixed schedule from its anchor, back on the 31st after a short month', () => {
    expect(firstOccurrenceAfter('2026-01-31', 1, 'month', '2026-02-28')).toBe('2026-03-31');
    expect(firstOccurrenceAfter('2026-01-31', 1, 'month', '2026-01-30')).toBe('2026-02-28');
    // strictly after: an occurrence on the day itself is not the next one
    expect(firstOccurrenceAfter('2026-01-01', 1, 'week', '2026-01-08')).toBe('2026-01-15');
    // far away: the jump lands on the right occurrence
    expect(firstOccurrenceAfter('2000-03-15', 1, 'day', '2026-06-10')).toBe('2026-06-11');
    expect(firstOccurrenceAfter('2000-01-31', 1, 'month', '2026-06-10')).toBe('2026-06-30');
    expect(firstOccurrenceAfter('2000-02-29', 1, 'year', '2027-01-01')).toBe('2027-02-28');
  });
});

describe('the next due date after a completion', () => {
  it('from completion: the completion date plus the interval, early or late', () => {
    const s = monthly({ mode: 'from_completion', due: '2026-06-30', anchor: '2026-01-31' });
    expect(nextDueDate(s, '2026-06-20')).toBe('2026-07-20'); // before due
    expect(nextDueDate(s, '2026-09-02')).toBe('2026-10-02'); // long after due
    expect(nextDueDate(s, '2026-01-31')).toBe('2026-02-28'); // month end clamps
    expect(nextDueDate({ ...s, unit: 'year', due: '2028-02-29' }, '2028-02-29')).toBe('2029-02-28');
  });

  it('fixed: the previous due plus the interval when completed on time or early', () => {
    expect(nextDueDate(monthly({ due: '2026-02-28' }), '2026-02-28')).toBe('2026-03-31');
    expect(nextDueDate(monthly({ due: '2026-02-28' }), '2026-02-10')).toBe('2026-03-31');
    const quarterly = monthly({ every: 3, due: '2026-04-30', anchor: '2026-01-31' });
    expect(nextDueDate(quarterly, '2026-04-01')).toBe('2026-07-31');
  });

  it('fixed: a completion long after the due skips the missed periods and lands after the completion', () => {
    const s = monthly({ due: '2026-02-28' });
    expect(nextDueDate(s, '2026-06-15')).toBe('2026-06-30');
    expect(nextDueDate(s, '2026-06-30')).toBe('2026-07-31');
    const weekly: CalendarSchedule = {
      every: 1,
      unit: 'week',
      mode: 'fixed',
      due: '2026-01-05',
      anchor: '2026-01-05',
    };
    expect(nextDueDate(weekly, '2026-01-20')).toBe('2026-01-26');
    const leapYearly: CalendarSchedule = {
      every: 1,
      unit: 'year',
      mode: 'fixed',
      due: '2028-02-29',
      anchor: '2028-02-29',
    };
    expect(nextDueDate(leapYearly, '2028-03-01')).toBe('2029-02-28');
    expect(nextDueDate(leapYearly, '2031-05-01')).toBe('2032-02-29');
  });
});

describe('meter readings (operating hours, kilometres)', () => {
  it('from completion: the reading plus the interval', () => {
    expect(nextDueReading({ every: 50, mode: 'from_completion', dueReading: 150 }, 142)).toBe(192);
    expect(nextDueReading({ every: 50, mode: 'from_completion', dueReading: 150 }, 171)).toBe(221);
  });

  it('fixed: the next multiple after the due reading and the completion reading', () => {
    expect(nextDueReading({ every: 50, mode: 'fixed', dueReading: 150 }, 142)).toBe(200);
    expect(nextDueReading({ every: 50, mode: 'fixed', dueReading: 150 }, 150)).toBe(200);
    expect(nextDueReading({ every: 50, mode: 'fixed', dueReading: 150 }, 260)).toBe(300);
    expect(nextDueReading({ every: 50, mode: 'fixed', dueReading: 150 }, 250)).toBe(300);
  });
});

describe('default leads', () => {
  it('keeps 30 and 7 days only when at most half the interval, else half the interval', () => {
    expect(defaultLeadDays(1, 'year')).toEqual([30, 7]);
    expect(defaultLeadDays(2, 'month')).toEqual([30, 7]);
    expect(defaultLeadDays(1, 'month')).toEqual([7]);
    expect(defaultLeadDays(2, 'week')).toEqual([7]);
    expect(defaultLeadDays(1, 'week')).toEqual([3]);
    expect(defaultLeadDays(2, 'day')).toEqual([1]);
    expect(defaultLeadDays(1, 'day')).toEqual([0]);
  });

  it('leads a meter task by a tenth of its interval, at least 1 and at most 1 000', () => {
    expect(defaultLeadReading(50)).toBe(5);
    expect(defaultLeadReading(5)).toBe(1);
    expect(defaultLeadReading(30_000)).toBe(1_000);
  });
});

describe('overdue', () => {
  const task = { nextDue: '2026-06-09', currentReading: null, dueReading: null };
  it('is overdue from the day after the due date', () => {
    expect(isOverdue(task, '2026-06-09')).toBe(false);
    expect(isOverdue(task, '2026-06-10')).toBe(true);
  });
  it('is overdue when the reading reached the due reading, exactly at it included', () => {
    expect(isOverdue({ nextDue: null, currentReading: 149, dueReading: 150 }, '2026-06-10')).toBe(false);
    expect(isOverdue({ nextDue: null, currentReading: 150, dueReading: 150 }, '2026-06-10')).toBe(true);
  });
});
