import { addDays } from '../common/dates';

/**
 * Fiscal years (räkenskapsår). The calendar year by default; a broken fiscal year starts on the first of another
 * month (`fiscalYearStartMonth`, 1–12). A fiscal year is named by the calendar year it starts in: with start month
 * 7, fiscal year 2026 runs 2026-07-01 … 2027-06-30.
 */
export function fiscalYearOf(date: string, startMonth = 1): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= startMonth ? year : year - 1;
}

export function fiscalYearRange(fiscalYear: number, startMonth = 1): { start: string; end: string } {
  const start = `${fiscalYear}-${String(startMonth).padStart(2, '0')}-01`;
  const next = `${fiscalYear + 1}-${String(startMonth).padStart(2, '0')}-01`;
  return { start, end: addDays(next, -1) };
}
