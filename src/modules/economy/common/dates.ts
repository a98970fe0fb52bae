/**
 * Calendar dates (`YYYY-MM-DD`) and period keys (`YYYY-MM`). Money events are calendar dates in Europe/Stockholm;
 * statistics group on the period key stored on every dated record (FerretDB has no date operators).
 */
import { addMonthsToPeriod, ECONOMY_YEARS, isCalendarDate as isDate } from '../../../common/dates';

export { addDays, periodOf, stockholmDate } from '../../../common/dates';

const PERIOD = /^(\d{4})-(\d{2})$/;

/** A real calendar date in the years the economy accepts (`ECONOMY_YEARS`, 1900–2199). */
export const isCalendarDate = (value: string): boolean => isDate(value, ECONOMY_YEARS);

export function isPeriod(value: string): boolean {
  const m = PERIOD.exec(value);
  if (!m) return false;
  const [year, month] = [Number(m[1]), Number(m[2])];
  return year >= ECONOMY_YEARS.from && year <= ECONOMY_YEARS.to && month >= 1 && month <= 12;
}

/** `2026-11` + 2 → `2027-01`; negative moves back. */
export const addMonths = addMonthsToPeriod;

/** Every period from `from` to `to`, both included (empty when `from` is after `to`). */
export function periodsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let p = from; p <= to; p = addMonths(p, 1)) out.push(p);
  return out;
}

/** First and last calendar date of a period. */
export function periodBounds(period: string): { from: string; to: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
}
