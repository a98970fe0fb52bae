/**
 * Calendar dates (`YYYY-MM-DD`) and period keys (`YYYY-MM`). Money events are calendar dates in Europe/Stockholm;
 * statistics group on the period key stored on every dated record (FerretDB has no date operators).
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2199) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function isPeriod(value: string): boolean {
  const m = PERIOD.exec(value);
  return !!m && Number(m[1]) >= 1900 && Number(m[1]) <= 2199 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** `2026-11-21` → `2026-11`. */
export function periodOf(date: string): string {
  return date.slice(0, 7);
}

/** `2026-11` + 2 → `2027-01`; negative moves back. */
export function addMonths(period: string, months: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

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

/** Adds days to a calendar date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const STOCKHOLM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Sweden at `instant`. */
export function stockholmDate(instant: Date): string {
  return STOCKHOLM.format(instant);
}
