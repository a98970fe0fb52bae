import { consumptionPer100Km, odometerProblem, usualKmPerDay } from './odometer';
import { formatRegistration, normalizeRegistration } from './registration';

describe('registration numbers', () => {
  it('accepts the Swedish formats and normalizes them', () => {
    expect(normalizeRegistration('abc 123')).toBe('ABC123');
    expect(normalizeRegistration('ABC12A')).toBe('ABC12A');
    expect(normalizeRegistration(' xyz-987 ')).toBe('XYZ987');
    expect(formatRegistration('ABC123')).toBe('ABC 123');
  });

  it('refuses letters Transportstyrelsen does not use and wrong shapes', () => {
    for (const bad of [
      'AIC123',
      'ABQ123',
      'AVC123',
      'ÅBC123',
      'AB1234',
      'ABC1234',
      'ABC12O',
      'ABC12I',
      '',
      '123ABC',
    ])
      expect(normalizeRegistration(bad)).toBeNull();
  });

  it('accepts personal plates only when marked as such', () => {
    expect(normalizeRegistration('MAMMA 1')).toBeNull();
    expect(normalizeRegistration('MAMMA 1', true)).toBe('MAMMA1');
    expect(normalizeRegistration('X', true)).toBeNull();
    expect(normalizeRegistration('TOOLONG12', true)).toBeNull();
  });
});

describe('odometer plausibility', () => {
  const history = [
    { date: '2026-01-01', odometer: 100_000 },
    { date: '2026-04-01', odometer: 103_000 }, // ≈ 33 km a day
    { date: '2026-07-01', odometer: 106_000 },
  ];

  it('accepts a reading that follows the usual pace, also exactly at the previous one', () => {
    expect(odometerProblem({ date: '2026-07-15', odometer: 106_500 }, history)).toBeNull();
    expect(odometerProblem({ date: '2026-07-01', odometer: 106_000 }, history)).toBeNull();
    expect(odometerProblem({ date: '2026-02-01', odometer: 101_000 }, history)).toBeNull(); // between two
  });

  it('refuses a reading lower than an earlier one or higher than a later one', () => {
    expect(odometerProblem({ date: '2026-07-15', odometer: 105_999 }, history)).toMatchObject({
      reason: 'lower_than_before',
      previous: { odometer: 106_000 },
    });
    expect(odometerProblem({ date: '2026-02-01', odometer: 104_000 }, history)).toMatchObject({
      reason: 'higher_than_later',
      next: { odometer: 103_000 },
    });
  });

  it('refuses more than 1 500 km a day, and a jump far above the usual pace', () => {
    expect(odometerProblem({ date: '2026-07-02', odometer: 107_501 }, history)).toMatchObject({
      reason: 'too_far',
    });
    expect(odometerProblem({ date: '2026-07-02', odometer: 107_500 }, history)).toBeNull(); // 1 500: a long day
    expect(odometerProblem({ date: '2026-07-03', odometer: 108_500 }, history)).toMatchObject({
      reason: 'far_above_usual',
      kmPerDay: 1_250,
      usualKmPerDay: 33,
    });
    // a road trip of 1 400 km in two days: fast, but under the 2 000 km a question needs
    expect(odometerProblem({ date: '2026-07-03', odometer: 107_400 }, history)).toBeNull();
    expect(usualKmPerDay(history)).toBeCloseTo(6_000 / 181, 5);
  });
});

describe('consumption, full to full', () => {
  it('counts partial fills between two full tanks and ignores what came before the first', () => {
    const fills = [
      { date: '2026-01-01', odometer: 9_000, quantity: 20, fullTank: false }, // before the first full: ignored
      { date: '2026-01-05', odometer: 10_000, quantity: 40, fullTank: true },
      { date: '2026-01-20', odometer: 10_300, quantity: 10, fullTank: false },
      { date: '2026-02-01', odometer: 10_800, quantity: 30, fullTank: true },
      { date: '2026-02-20', odometer: 11_400, quantity: 15, fullTank: false }, // after the last full: pending
    ];
    expect(consumptionPer100Km(fills)).toEqual({ per100Km: 5, quantity: 40, km: 800 });
    expect(consumptionPer100Km(fills.slice(0, 2))).toBeNull();
  });
});
