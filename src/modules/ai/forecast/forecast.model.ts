/**
 * The forecast's pure part (docs/ai.md, "Forecast"): the endpoint gathers data and hands it here, and
 * `bench/ai-forecast.ts` backtests exactly these functions. Amounts are öre; months are `YYYY-MM`.
 *
 * The "rest" (what history says beyond the known payments) is modelled per series with a robust seasonal level:
 * - seasonal indices per calendar month: the month's value over its 12-month block's mean, averaged over the
 *   complete years in the history (median from three years on), shrunk towards 1 with one year only;
 * - the level: the mean of the last 12 months, deseasonalized, each month winsorized at the median ± 3 MAD
 *   (one big purchase does not lift every future month);
 * - a damped trend from the change between the last two 12-month blocks;
 * - a ≈ 90 % prediction interval from the in-sample residuals (scaled MAD), widened with the horizon.
 * Fewer than 12 months of history: no seasonality, the level is a trimmed mean of what there is; none: zero.
 */
import { addMonthsToPeriod } from '../../../common/dates';

/** One month of the forecast horizon: point and interval. */
export interface MonthForecast {
  period: string;
  point: number;
  low: number;
  high: number;
}

export interface SeriesModel {
  /** How many months of history the model saw. */
  months: number;
  seasonal: boolean;
  /** Öre per month, the deseasonalized level at the end of the history. */
  level: number;
  /** Öre per month per month (already damped at the start). */
  trend: number;
  /** Residual scale (öre), the 1-sigma of one month. */
  sigma: number;
  /** Index per calendar month 1..12 at [0..11]; all 1 without seasonality. */
  indices: number[];
}

/**
 * Half-width of the ≈ 90 % interval in sigmas: 1.645 for a normal residual, widened for household spending's
 * heavy tails (big purchases) and for the error of the indices themselves; calibrated on the backtest's coverage.
 */
const Z90 = 1.645 * 1.7;
/** The trend fades by this factor each month ahead. */
const DAMPING = 0.85;

/** `YYYY-MM` plus n months (src/common/dates.ts). */
export const addMonths = addMonthsToPeriod;

export function monthsBetween(from: string, to: string): number {
  const [y1, m1] = from.split('-').map(Number) as [number, number];
  const [y2, m2] = to.split('-').map(Number) as [number, number];
  return y2 * 12 + m2 - (y1 * 12 + m1);
}

const monthOf = (period: string): number => Number(period.slice(5, 7)) - 1;

export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median absolute deviation (unscaled). */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

const mean = (values: readonly number[]): number =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;

/**
 * Fits the model to monthly totals `values` (oldest first) whose last month is `lastPeriod`. Months without
 * spending are zeros, not gaps: the caller fills the calendar.
 */
export function fitSeries(values: readonly number[], lastPeriod: string): SeriesModel {
  const n = values.length;
  const flat = Array.from({ length: 12 }, () => 1);
  if (n === 0) return { months: 0, seasonal: false, level: 0, trend: 0, sigma: 0, indices: flat };
  const firstPeriod = addMonths(lastPeriod, -(n - 1));
  if (n < 12) {
    const recent = values.slice(-6);
    const m = median(recent);
    const spread = 1.4826 * mad(recent, m);
    const clipped = recent.map((v) => Math.min(v, m + 3 * spread));
    const level = mean(clipped);
    const sigma = Math.max(spread, level * 0.15);
    return { months: n, seasonal: false, level, trend: 0, sigma, indices: flat };
  }
  // Blocks of 12 months aligned to the end of the history.
  const years = Math.min(Math.floor(n / 12), 4);
  const blocks: { start: number; mean: number }[] = [];
  for (let b = years; b >= 1; b--) {
    const start = n - b * 12;
    blocks.push({ start, mean: mean(values.slice(start, start + 12)) });
  }
  // Seasonal ratios per calendar month.
  const ratios: number[][] = Array.from({ length: 12 }, () => []);
  for (const block of blocks) {
    if (block.mean <= 0) continue;
    for (let i = block.start; i < block.start + 12; i++) {
      const month = monthOf(addMonths(firstPeriod, i));
      ratios[month].push(Math.min(values[i] / block.mean, 6));
    }
  }
  let indices = ratios.map((r) => {
    if (!r.length) return 1;
    const raw = r.length >= 3 ? median(r) : mean(r);
    // One year only: shrink halfway to 1 (a single noisy month is not a season yet).
    return r.length === 1 ? 1 + (raw - 1) * 0.6 : raw;
  });
  const norm = mean(indices) || 1;
  indices = indices.map((s) => s / norm);

  // Level: last 12 months deseasonalized, winsorized.
  const last12 = values.slice(-12).map((v, k) => {
    const s = indices[monthOf(addMonths(lastPeriod, k - 11))];
    return s > 0.05 ? v / s : v;
  });
  const m = median(last12);
  const spread = 1.4826 * mad(last12, m);
  const clipped = last12.map((v) => Math.min(Math.max(v, m - 3 * spread), m + 3 * spread));
  const level0 = mean(clipped);

  // Trend: change of the (median-robust) yearly level between the last two blocks, damped.
  let trend = 0;
  if (blocks.length >= 2) {
    const prev = blocks[blocks.length - 2];
    const last = blocks[blocks.length - 1];
    const prevLevel = median(values.slice(prev.start, prev.start + 12));
    const lastLevel = median(values.slice(last.start, last.start + 12));
    trend = (lastLevel - prevLevel) / 12;
    // Never more than 2 % of the level per month either way.
    const cap = Math.abs(level0) * 0.02;
    trend = Math.max(-cap, Math.min(cap, trend)) * 0.5;
  }
  // The mean of the last 12 months sits 5.5 months before the end: move it to the end.
  const level = level0 + trend * 5.5;

  // Residuals: the last 24 months against level × index (level of their own block).
  const residuals: number[] = [];
  for (const block of blocks.slice(-2)) {
    for (let i = block.start; i < block.start + 12; i++) {
      const s = indices[monthOf(addMonths(firstPeriod, i))];
      residuals.push(values[i] - block.mean * s);
    }
  }
  const sigma = Math.max(1.4826 * mad(residuals, 0), Math.abs(level) * 0.05);
  return { months: n, seasonal: true, level, trend, sigma, indices };
}

/** The forecast of the `h`-th month after `lastPeriod` (h ≥ 1). */
export function predict(model: SeriesModel, lastPeriod: string, h: number): MonthForecast {
  const period = addMonths(lastPeriod, h);
  if (model.months === 0) return { period, point: 0, low: 0, high: 0 };
  let damped = 0;
  for (let j = 1; j <= h; j++) damped += DAMPING ** j;
  const s = model.indices[monthOf(period)];
  const point = Math.max(0, (model.level + model.trend * damped) * s);
  const half = Z90 * model.sigma * Math.sqrt(1 + h / 12) * (model.seasonal ? Math.max(s, 0.5) : 1);
  return {
    period,
    point: Math.round(point),
    low: Math.max(0, Math.round(point - half)),
    high: Math.round(point + half),
  };
}

/** Forecasts months 1..`months` after `lastPeriod` of a series. */
export function forecastSeries(
  values: readonly number[],
  lastPeriod: string,
  months: number,
): { model: SeriesModel; months: MonthForecast[] } {
  const model = fitSeries(values, lastPeriod);
  return {
    model,
    months: Array.from({ length: months }, (_, i) => predict(model, lastPeriod, i + 1)),
  };
}
