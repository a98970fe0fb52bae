import { afterQuietHours, isQuiet, leadSlots, stockholmClock, stockholmInstant } from './schedule';

describe('Stockholm wall clock', () => {
  it('maps winter (UTC+1) and summer (UTC+2) times both ways', () => {
    expect(stockholmClock(new Date('2026-12-02T06:30:00Z'))).toEqual({
      date: '2026-12-02',
      minute: 7 * 60 + 30,
    });
    expect(stockholmClock(new Date('2026-07-01T22:30:00Z'))).toEqual({ date: '2026-07-02', minute: 30 });
    expect(stockholmInstant('2026-12-02', 7 * 60).toISOString()).toBe('2026-12-02T06:00:00.000Z');
    expect(stockholmInstant('2026-07-02', 7 * 60).toISOString()).toBe('2026-07-02T05:00:00.000Z');
  });

  it('on the day summer time starts, 07:00 is UTC+2 and 01:00 still UTC+1', () => {
    expect(stockholmInstant('2026-03-29', 7 * 60).toISOString()).toBe('2026-03-29T05:00:00.000Z');
    expect(stockholmInstant('2026-03-29', 60).toISOString()).toBe('2026-03-29T00:00:00.000Z');
  });
});

describe('quiet hours', () => {
  const night = { start: '22:00', end: '07:00' };

  it('spanning midnight: quiet from the start (included) to the end (excluded)', () => {
    expect(isQuiet(night, new Date('2026-12-02T20:59:00Z'))).toBe(false); // 21:59
    expect(isQuiet(night, new Date('2026-12-02T21:00:00Z'))).toBe(true); // 22:00
    expect(isQuiet(night, new Date('2026-12-03T05:59:00Z'))).toBe(true); // 06:59
    expect(isQuiet(night, new Date('2026-12-03T06:00:00Z'))).toBe(false); // 07:00
    expect(isQuiet(null, new Date('2026-12-03T02:00:00Z'))).toBe(false);
  });

  it('within one day (12:00–13:00)', () => {
    const lunch = { start: '12:00', end: '13:00' };
    expect(isQuiet(lunch, new Date('2026-12-02T11:30:00Z'))).toBe(true); // 12:30
    expect(isQuiet(lunch, new Date('2026-12-02T12:00:00Z'))).toBe(false); // 13:00
  });

  it('a time in quiet hours waits for their end: the next morning before midnight, the same morning after', () => {
    expect(afterQuietHours(night, new Date('2026-12-02T22:15:00Z')).toISOString()).toBe(
      '2026-12-03T06:00:00.000Z',
    );
    expect(afterQuietHours(night, new Date('2026-12-03T02:00:00Z')).toISOString()).toBe(
      '2026-12-03T06:00:00.000Z',
    );
    const day = new Date('2026-12-03T10:00:00Z');
    expect(afterQuietHours(night, day)).toBe(day);
    expect(afterQuietHours(null, day)).toBe(day);
  });
});

describe('lead slots', () => {
  const now = new Date('2026-09-14T10:00:00Z');
  const at8 = 8 * 60;

  it('without lead days or due date: once, now', () => {
    expect(leadSlots(null, '2026-10-14', '2026-09-14', now, at8)).toEqual([{ key: 'now', at: now }]);
    expect(leadSlots([7], null, '2026-09-14', now, at8)).toEqual([{ key: 'now', at: now }]);
  });

  it('holds each lead still ahead until its day, at the send time', () => {
    expect(leadSlots([7, 1], '2026-10-14', '2026-09-14', now, at8)).toEqual([
      { key: 'd7', at: new Date('2026-10-07T06:00:00Z') },
      { key: 'd1', at: new Date('2026-10-13T06:00:00Z') },
    ]);
  });

  it('a missed lead is told at once, only the most urgent one; the lead of today is now', () => {
    expect(leadSlots([30, 14, 3], '2026-09-24', '2026-09-14', now, at8)).toEqual([
      { key: 'd14', at: now },
      { key: 'd3', at: new Date('2026-09-21T06:00:00Z') },
    ]);
    expect(leadSlots([10], '2026-09-24', '2026-09-14', now, at8)).toEqual([{ key: 'd10', at: now }]);
  });

  it('a due date already passed: one slot now', () => {
    expect(leadSlots([7, 1], '2026-09-10', '2026-09-14', now, at8)).toEqual([{ key: 'd1', at: now }]);
  });
});
