/** Calendar dates (`YYYY-MM-DD`) as the bank module uses them: validated, counted in days, in Swedish time. */
export { addDays, isCalendarDate, periodOf, stockholmDate } from '../../../common/dates';

const MS_PER_DAY = 86_400_000;

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date (no validation: callers pass checked dates). Pure arithmetic
 * (days-from-civil), no Date object: the matching engine calls it for every line and item.
 */
export function dayNumber(date: string): number {
  let y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const m = digit(date, 5) * 10 + digit(date, 6);
  const d = digit(date, 8) * 10 + digit(date, 9);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
