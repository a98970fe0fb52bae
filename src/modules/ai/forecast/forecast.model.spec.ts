import { addMonths, fitSeries, forecastSeries, mad, median, monthsBetween, predict } from './forecast.model';

describe('forecast model', () => {
  it('counts months across year ends', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthsBetween('2024-02', '2026-01')).toBe(23);
  });

  it('takes medians and MADs of odd and even lists', () => {
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
  });

  it('forecasts zero with a zero interval for a new organization with no history', () => {
    const { model, months } = forecastSeries([], '2026-11', 3);
    expect(model.months).toBe(0);
    expect(months).toEqual([
      { period: '2026-12', point: 0, low: 0, high: 0 },
      { period: '2027-01', point: 0, low: 0, high: 0 },
      { period: '2027-02', point: 0, low: 0, high: 0 },
    ]);
  });

  it('uses a robust recent level without seasonality when the history is short', () => {
    const model = fitSeries([100_000, 110_000, 90_000, 1_000_000], '2026-11');
    expect(model.seasonal).toBe(false);
    // The 10 000 kr month is clipped: the level stays near the usual month.
    expect(model.level).toBeLessThan(300_000);
    const f = predict(model, '2026-11', 1);
    expect(f.low).toBeLessThanOrEqual(f.point);
    expect(f.high).toBeGreaterThan(f.point);
  });

  it('keeps months without spending as zeros and never forecasts below zero', () => {
    const values = Array.from({ length: 24 }, (_, i) => (i % 12 === 6 ? 500_000 : 0));
    const { months } = forecastSeries(values, '2026-12', 12);
    for (const m of months) expect(m.low).toBeGreaterThanOrEqual(0);
    // Only July has the holiday: it is the peak.
    const july = months.find((m) => m.period === '2027-07')!;
    expect(Math.max(...months.map((m) => m.point))).toBe(july.point);
  });

  it('learns the season by calendar month from several years and follows a trend', () => {
    const season = [2, 1.8, 1.4, 1.1, 0.8, 0.6, 0.5, 0.6, 0.8, 1.1, 1.5, 1.8];
    // Three years from 2023-01, 3 % a year more, ending 2025-12.
    const values = Array.from({ length: 36 }, (_, i) =>
      Math.round(100_000 * season[i % 12] * 1.03 ** (i / 12)),
    );
    const { model, months } = forecastSeries(values, '2025-12', 12);
    expect(model.seasonal).toBe(true);
    expect(model.trend).toBeGreaterThan(0);
    const jan = months[0];
    const jul = months[6];
    expect(jan.period).toBe('2026-01');
    expect(jan.point / jul.point).toBeGreaterThan(3);
    expect(Math.abs(jan.point - 2 * 100_000 * 1.03 ** 3) / jan.point).toBeLessThan(0.08);
  });

  it('widens the interval with the horizon', () => {
    const values = Array.from({ length: 24 }, (_, i) => 100_000 + ((i * 37) % 11) * 5_000);
    const model = fitSeries(values, '2026-10');
    const near = predict(model, '2026-10', 1);
    const far = predict(model, '2026-10', 12);
    expect(far.high - far.low).toBeGreaterThan(near.high - near.low);
  });
});
