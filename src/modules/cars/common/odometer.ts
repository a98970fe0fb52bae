/**
 * Odometer plausibility (the guard on car events) and fuel consumption. Readings are in kilometres; a car whose
 * odometer counts Swedish miles (mil, 10 km) is converted at the edge.
 */
import { daysBetween } from '../../../common/dates';

export interface Reading {
  readonly date: string;
  readonly odometer: number;
}

/** The most a car is driven in a day (km): 1 500 is a long day on the motorway without stops. */
export const MAX_KM_PER_DAY = 1_500;
/** A jump this much over the car's usual daily distance, and over `MIN_SUSPICIOUS_KM`, is questioned. */
export const USUAL_FACTOR = 10;
export const MIN_SUSPICIOUS_KM = 2_000;

export type OdometerProblem =
  | { reason: 'lower_than_before'; previous: Reading }
  | { reason: 'higher_than_later'; next: Reading }
  | { reason: 'too_far'; previous: Reading; kmPerDay: number }
  | { reason: 'far_above_usual'; previous: Reading; kmPerDay: number; usualKmPerDay: number };

/** The average km a day over the readings (first to last), or null with fewer than two days between them. */
export function usualKmPerDay(readings: readonly Reading[]): number | null {
  if (readings.length < 2) return null;
  const sorted = [...readings].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const days = daysBetween(first.date, last.date);
  return days >= 1 ? Math.max(0, last.odometer - first.odometer) / days : null;
}

/**
 * Whether a new reading fits the car's other readings: never lower than an earlier one nor higher than a later
 * one, never more than `MAX_KM_PER_DAY` since the previous one, and not far above the car's usual pace. Null when
 * it fits.
 */
export function odometerProblem(reading: Reading, others: readonly Reading[]): OdometerProblem | null {
  let previous: Reading | null = null;
  let next: Reading | null = null;
  for (const r of others) {
    if (
      r.date <= reading.date &&
      (!previous || r.date > previous.date || (r.date === previous.date && r.odometer > previous.odometer))
    )
      previous = r;
    if (
      r.date > reading.date &&
      (!next || r.date < next.date || (r.date === next.date && r.odometer < next.odometer))
    )
      next = r;
  }
  if (previous && reading.odometer < previous.odometer) return { reason: 'lower_than_before', previous };
  if (next && reading.odometer > next.odometer) return { reason: 'higher_than_later', next };
  if (!previous) return null;
  const km = reading.odometer - previous.odometer;
  const days = Math.max(1, daysBetween(previous.date, reading.date));
  const kmPerDay = km / days;
  if (kmPerDay > MAX_KM_PER_DAY) return { reason: 'too_far', previous, kmPerDay: Math.round(kmPerDay) };
  const usual = usualKmPerDay(others);
  if (usual !== null && usual > 0 && km > MIN_SUSPICIOUS_KM && kmPerDay > USUAL_FACTOR * usual)
    return {
      reason: 'far_above_usual',
      previous,
      kmPerDay: Math.round(kmPerDay),
      usualKmPerDay: Math.round(usual),
    };
  return null;
}

export interface Fill {
  readonly date: string;
  readonly odometer: number;
  /** Litres or kWh. */
  readonly quantity: number;
  readonly fullTank: boolean;
}

/**
 * Consumption per 100 km by the full-to-full method: between two full tanks, everything filled after the first
 * (partial fills included, up to and including the second full one) over the distance between them. Fills before
 * the first full tank are not counted. Null until two full tanks with distance between them exist.
 */
export function consumptionPer100Km(
  fills: readonly Fill[],
): { per100Km: number; quantity: number; km: number } | null {
  const sorted = [...fills].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.odometer - b.odometer,
  );
  let start: Fill | null = null;
  let pending = 0;
  let quantity = 0;
  let km = 0;
  for (const fill of sorted) {
    if (!start) {
      if (fill.fullTank) start = fill;
      continue;
    }
    pending += fill.quantity;
    if (fill.fullTank) {
      const distance = fill.odometer - start.odometer;
      if (distance > 0) {
        quantity += pending;
        km += distance;
      }
      start = fill;
      pending = 0;
    }
  }
  return km > 0 ? { per100Km: Math.round((quantity / km) * 100 * 100) / 100, quantity, km } : null;
}
