/**
 * Calendar dates written `YYYY-MM-DD`: a day, no time of day and no time zone. Money events are calendar dates in
 * Sweden (`stockholmDate`). Each module's year range is a named constant here, passed to `isCalendarDate`.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The time zone of every calendar day, boundary and schedule: money events and billing happen in Sweden. */
export const TIME_ZONE = 'Europe/Stockholm';

/** Years `from`…`to`, both included. */
export interface YearRange {
  readonly from: number;
  readonly to: number;
}

/** Dates of the economy's records (transactions, bills, periods): 1900–2199. */
export const ECONOMY_YEARS: YearRange = { from: 1900, to: 2199 };

/**
 * Dates billing accepts from outside (admin input, Stripe events): 1970–2199, so every boundary computed from one
 * stays a four-digit year. The bank module takes any real date (`isCalendarDate` without a range): a statement is
 * what the bank wrote.
 */
export const BILLING_YEARS: YearRange = { from: 1970, to: 2199 };

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** The parts of a real calendar date (2026-02-30 is not one), or null. */
export function parseCalendarDate(value: string): CalendarDate | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day
    ? { year, month, day }
    : null;
}

/** True for a real calendar date, optionally only in the years `from`…`to`. */
export function isCalendarDate(value: string, years?: YearRange): boolean {
  const date = parseCalendarDate(value);
  return !!date && (!years || (date.year >= years.from && date.year <= years.to));
}

/** `date` plus `days` calendar days (negative moves back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const STOCKHOLM = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Sweden at `instant` (the day a Swede would write on a voucher). */
export function stockholmDate(instant: Date): string {
  return STOCKHOLM.format(instant);
}

/** `2026-11-21` → `2026-11`: the period key of monthly statistics. */
export const periodOf = (date: string): string => date.slice(0, 7);

const DAY_MS = 24 * 3600 * 1000;

const utcDay = (date: string): number => {
  const parsed = parseCalendarDate(date);
  if (!parsed) throw new RangeError(`Not a calendar date: ${date}`);
  return Date.UTC(parsed.year, parsed.month - 1, parsed.day);
};

/** Calendar days from `from` to `to` (negative when `to` is earlier); a non-date throws a RangeError. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS);
}

/** A period key (`YYYY-MM`) plus `months`: `2026-11` + 2 → `2027-01`; negative moves back. */
export function addMonthsToPeriod(period: string, months: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

/**
 * `date` plus `months` calendar months, the day clamped to the month's last day: 2026-01-31 + 1 → 2026-02-28,
 * 2028-01-31 + 1 → 2028-02-29. Always counted from the given date, so a schedule anchored on the 31st returns to
 * the 31st in the months that have one (compute the n-th date from the anchor, never from the previous date).
 */
export function addMonthsToDate(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}
