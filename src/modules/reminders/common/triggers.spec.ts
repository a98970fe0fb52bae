import {
  dailyDistance,
  dueReminder,
  estimateOdometer,
  isSnoozed,
  nextCheck,
  rollsOver,
  reachedLead,
  Trigger,
} from './triggers';

const byDate = (dueDate: string, leadDays = [30, 7]): Trigger => ({ date: { dueDate, leadDays } });

describe('date triggers', () => {
  it('is due from the lead day until the due date: day before, of and after', () => {
    const trigger = byDate('2026-12-31');
    expect(dueReminder(trigger, '2026-11-30')).toBeNull();
    expect(dueReminder(trigger, '2026-12-01')).toEqual({
      lead: 'd30',
      remindOn: '2026-12-01',
      dueDate: '2026-12-31',
      dueOdometer: null,
    });
    expect(dueReminder(trigger, '2026-12-23')?.lead).toBe('d30');
    expect(dueReminder(trigger, '2026-12-24')).toMatchObject({ lead: 'd7', remindOn: '2026-12-24' });
    expect(dueReminder(trigger, '2026-12-31')?.lead).toBe('d7');
    expect(dueReminder(trigger, '2027-01-01')).toBeNull();
  });

  it('produces only the most urgent lead reached when days were missed', () => {
    expect(reachedLead({ dueDate: '2026-12-31', leadDays: [30, 7, 1] }, '2026-12-30')).toBe(1);
    expect(reachedLead({ dueDate: '2026-12-31', leadDays: [0] }, '2026-12-31')).toBe(0);
    expect(reachedLead({ dueDate: '2026-12-31', leadDays: [] }, '2026-12-31')).toBeNull();
  });

  it('counts leads across month ends and leap days', () => {
    expect(dueReminder(byDate('2028-03-01', [1]), '2028-02-29')).toMatchObject({
      lead: 'd1',
      remindOn: '2028-02-29',
    });
    expect(dueReminder(byDate('2026-03-01', [1]), '2026-02-28')).toMatchObject({
      lead: 'd1',
      remindOn: '2026-02-28',
    });
    expect(dueReminder(byDate('2026-03-31', [30]), '2026-03-01')).toMatchObject({ remindOn: '2026-03-01' });
    expect(dueReminder(byDate('2026-03-31', [30]), '2026-02-28')).toBeNull();
  });
});

describe('distance triggers', () => {
  const service = (combine?: 'first' | 'later'): Trigger => ({
    date: { dueDate: '2027-06-01', leadDays: [30] },
    distance: { dueOdometer: 150_000, leadKm: 1_000 },
    combine,
  });

  it('is due exactly at the threshold, not a kilometre before', () => {
    const trigger: Trigger = { distance: { dueOdometer: 150_000, leadKm: 1_000 } };
    expect(dueReminder(trigger, '2026-12-02', 148_999)).toBeNull();
    expect(dueReminder(trigger, '2026-12-02', 149_000)).toEqual({
      lead: 'km1000',
      remindOn: '2026-12-02',
      dueDate: null,
      dueOdometer: 150_000,
    });
    expect(dueReminder(trigger, '2026-12-02', null)).toBeNull();
  });

  it('whichever comes first: the distance before the date, or the date before the distance', () => {
    expect(dueReminder(service('first'), '2026-12-02', 149_500)?.lead).toBe('km1000');
    expect(dueReminder(service(), '2027-05-02', 120_000)?.lead).toBe('d30');
    expect(dueReminder(service(), '2027-05-01', 120_000)).toBeNull();
  });

  it('whichever comes later: only when both are reached', () => {
    expect(dueReminder(service('later'), '2026-12-02', 149_500)).toBeNull();
    expect(dueReminder(service('later'), '2027-05-02', 120_000)).toBeNull();
    expect(dueReminder(service('later'), '2027-05-02', 149_000)).toMatchObject({ lead: 'd30+km1000' });
  });

  it('estimates today’s odometer from the last year of readings', () => {
    const readings = [
      { date: '2025-06-01', odometer: 90_000 }, // older than a year before the latest: ignored for the pace
      { date: '2026-01-01', odometer: 100_000 },
      { date: '2026-11-01', odometer: 110_000 },
    ];
    // 10 000 km in 304 days ≈ 32.9 km a day; 31 days later ≈ +1 020.
    expect(estimateOdometer(readings, '2026-12-02')).toBe(111_020);
    expect(estimateOdometer(readings, '2026-11-01')).toBe(110_000);
    expect(estimateOdometer([{ date: '2026-11-01', odometer: 5 }], '2026-12-01')).toBe(5);
    expect(estimateOdometer([], '2026-12-01')).toBeNull();
  });
});

describe('snooze', () => {
  it('hides a reminder through the snooze day', () => {
    expect(isSnoozed('2026-12-05', '2026-12-05')).toBe(true);
    expect(isSnoozed('2026-12-05', '2026-12-06')).toBe(false);
    expect(isSnoozed(null, '2026-12-06')).toBe(false);
  });
});

describe('the next day to check a record again', () => {
  it('is the next lead day, then the day after the due date', () => {
    const trigger = byDate('2027-03-01'); // leads 30 and 7: 2027-01-30 and 2027-02-22
    expect(nextCheck(trigger, '2026-12-02')).toBe('2027-01-30');
    expect(nextCheck(trigger, '2027-01-29')).toBe('2027-01-30');
    expect(nextCheck(trigger, '2027-01-30')).toBe('2027-02-22');
    expect(nextCheck(trigger, '2027-02-22')).toBe('2027-03-02');
    expect(nextCheck(trigger, '2027-03-01')).toBe('2027-03-02');
    expect(nextCheck(trigger, '2027-03-02')).toBeNull();
  });

  it('counts month ends and leap days as calendar days', () => {
    expect(nextCheck(byDate('2028-03-01', [1]), '2028-02-27')).toBe('2028-02-29');
    expect(nextCheck(byDate('2027-03-01', [1]), '2027-02-27')).toBe('2027-02-28');
    expect(nextCheck(byDate('2026-12-31', [0]), '2026-12-31')).toBe('2027-01-01');
  });

  it('projects a distance trigger to the day the odometer comes within the lead', () => {
    const trigger: Trigger = { distance: { dueOdometer: 20_000, leadKm: 1_000 } };
    // 1 000 km left to the lead at 40 km a day: 25 days.
    expect(nextCheck(trigger, '2026-12-02', 18_000, 40)).toBe('2026-12-27');
    expect(nextCheck(trigger, '2026-12-02', 18_999, 40)).toBe('2026-12-03');
    expect(nextCheck(trigger, '2026-12-02', 19_000, 40)).toBeNull(); // reached: stored today
    expect(nextCheck(trigger, '2026-12-02', 18_000, 0)).toBeNull(); // standing still: only a new reading
    expect(nextCheck(trigger, '2026-12-02', null, null)).toBeNull();
  });

  it('takes the earlier of date and distance days, whatever the combination', () => {
    const trigger: Trigger = {
      date: { dueDate: '2027-06-01', leadDays: [30] },
      distance: { dueOdometer: 20_000, leadKm: 1_000 },
      combine: 'later',
    };
    expect(nextCheck(trigger, '2026-12-02', 18_000, 40)).toBe('2026-12-27');
    expect(nextCheck(trigger, '2026-12-02', 18_000, 1)).toBe('2027-05-02');
  });

  it('knows the day an occasion rolls over (the day after its due date)', () => {
    expect(rollsOver(byDate('2027-02-28'), '2027-03-01')).toBe(true);
    expect(rollsOver(byDate('2027-02-28'), '2027-02-28')).toBe(false);
    expect(rollsOver(byDate('2027-02-28'), '2027-01-29')).toBe(false); // a lead day
    expect(rollsOver({ distance: { dueOdometer: 1, leadKm: 1 } }, '2027-03-01')).toBe(false);
  });

  it('uses the pace estimateOdometer projects with', () => {
    const readings = [
      { date: '2026-01-01', odometer: 100_000 },
      { date: '2026-11-01', odometer: 110_000 },
    ];
    expect(dailyDistance(readings)).toBeCloseTo(10_000 / 304, 6);
    expect(dailyDistance([])).toBe(0);
  });
});
