/**
 * The calendar of a contract or subscription: when it is paid, what each payment costs, when the binding period
 * ends, when it renews and the last day a notice still ends it at the end of the current term. Pure functions over
 * calendar dates (`YYYY-MM-DD`, Europe/Stockholm days) and öre; the reminders, the statistics and the calendar
 * feed all read a contract through these.
 *
 * Conventions (docs/contracts.md):
 * - The n-th payment is the start date plus n periods, counted from the start (a contract started on the 31st
 *   is paid on the last day of shorter months and on the 31st again after them).
 * - A term is `[termStart, termEnd]`, both days included: a 12-month binding from 2026-01-15 ends 2027-01-14.
 * - A notice given on day D with a notice period of N months ends the contract N months later (the contract runs
 *   until and including that day); with N days, N days later. Swedish consumer contracts count the same way.
 * - After the binding period a contract either renews for `renewalMonths` at a time (automatic renewal: the
 *   notice must reach the provider before the current term's last day minus the notice period), or runs on until
 *   further notice (`tillsvidare`: cancel any day, it ends one notice period later).
 */
import { addDays, addMonthsToDate, daysBetween } from '../../../common/dates';

export type FrequencyUnit = 'week' | 'month';

/** How often a contract is paid: every `every` weeks or months. */
export interface Frequency {
  readonly unit: FrequencyUnit;
  readonly every: number;
}

/** An amount per period (öre) in effect from a date on: the price history, an intro price that steps up. */
export interface PriceStep {
  readonly from: string;
  readonly amount: number;
}

export interface NoticePeriod {
  readonly unit: 'day' | 'month';
  readonly count: number;
}

export interface ContractTerms {
  readonly startDate: string;
  readonly frequency: Frequency;
  /** Sorted by `from`; a payment before the first step costs the first step's amount. */
  readonly prices: readonly PriceStep[];
  /** 0: no binding period. */
  readonly bindingMonths: number;
  /** null: no notice period (a notice ends the contract the same day). */
  readonly notice: NoticePeriod | null;
  /** After the binding period: renews for this many months at a time; null: runs on until further notice. */
  readonly renewalMonths: number | null;
  /** The last day the contract runs (cancelled or ended); null while it runs on. */
  readonly endDate: string | null;
}

/** Average days per year of the Gregorian calendar, for weekly costs per month and year. */
const DAYS_PER_YEAR = 365.2425;

export function paymentsPerYear(frequency: Frequency): number {
  return frequency.unit === 'month' ? 12 / frequency.every : DAYS_PER_YEAR / 7 / frequency.every;
}

/** The date of the n-th payment (n = 0 is the start date). */
export function nthPayment(terms: Pick<ContractTerms, 'startDate' | 'frequency'>, n: number): string {
  const { unit, every } = terms.frequency;
  return unit === 'month'
    ? addMonthsToDate(terms.startDate, n * every)
    : addDays(terms.startDate, n * every * 7);
}

/** The first n whose payment falls on or after `date` (0 when `date` is on or before the start). */
function firstPaymentIndexFrom(terms: ContractTerms, date: string): number {
  if (date <= terms.startDate) return 0;
  const { unit, every } = terms.frequency;
  const days = daysBetween(terms.startDate, date);
  // An estimate that never overshoots (months have at most 31 days), then step forward.
  let n =
    unit === 'month' ? Math.max(0, Math.floor(days / (31 * every)) - 1) : Math.floor(days / (7 * every));
  while (nthPayment(terms, n) < date) n += 1;
  return n;
}

/** The amount of a payment on `date`: the latest price step in effect that day. */
export function priceAt(prices: readonly PriceStep[], date: string): number {
  let amount = prices[0]?.amount ?? 0;
  for (const step of prices) {
    if (step.from > date) break;
    amount = step.amount;
  }
  return amount;
}

export interface Payment {
  readonly date: string;
  readonly amount: number;
}

/** Every payment from `from` to `to` (both included), none after the contract's end date. */
export function paymentsBetween(terms: ContractTerms, from: string, to: string): Payment[] {
  const last = terms.endDate && terms.endDate < to ? terms.endDate : to;
  const out: Payment[] = [];
  for (let n = firstPaymentIndexFrom(terms, from); ; n += 1) {
    const date = nthPayment(terms, n);
    if (date > last) return out;
    out.push({ date, amount: priceAt(terms.prices, date) });
  }
}

/** The next `count` payments on or after `today`. */
export function nextPayments(terms: ContractTerms, today: string, count: number): Payment[] {
  const out: Payment[] = [];
  for (let n = firstPaymentIndexFrom(terms, today); out.length < count; n += 1) {
    const date = nthPayment(terms, n);
    if (terms.endDate && date > terms.endDate) break;
    out.push({ date, amount: priceAt(terms.prices, date) });
  }
  return out;
}

/** The cost per month and per year at the price in effect on `date` (öre, rounded). */
export function normalizedCost(terms: ContractTerms, date: string): { monthly: number; yearly: number } {
  const yearly = priceAt(terms.prices, date) * paymentsPerYear(terms.frequency);
  return { monthly: Math.round(yearly / 12), yearly: Math.round(yearly) };
}

/** The day a notice given on `date` ends the contract (the last day it runs). */
export function noticeEnds(notice: NoticePeriod | null, date: string): string {
  if (!notice || notice.count === 0) return date;
  return notice.unit === 'day' ? addDays(date, notice.count) : addMonthsToDate(date, notice.count);
}

/** The last day a notice still ends the contract by `termEnd`. */
export function lastNoticeDayFor(notice: NoticePeriod | null, termEnd: string): string {
  if (!notice || notice.count === 0) return termEnd;
  if (notice.unit === 'day') return addDays(termEnd, -notice.count);
  // Month arithmetic clamps at month ends, so several days can end on the same day: a term ending 2026-02-28
  // with one month's notice can be cancelled until 2026-01-31. Start from the day a month earlier, then move on
  // while the next day still ends by termEnd (at most three steps).
  let day = addMonthsToDate(termEnd, -notice.count);
  while (noticeEnds(notice, addDays(day, 1)) <= termEnd) day = addDays(day, 1);
  return day;
}

/** The last day of the k-th term: k = 0 is the binding period, then one renewal period each. */
export function termEnd(terms: ContractTerms, k: number): string {
  const months = terms.bindingMonths + k * (terms.renewalMonths ?? 0);
  return addDays(addMonthsToDate(terms.startDate, months), -1);
}

export interface CancellationOutlook {
  /** The last day the contract is bound to (the end of the current term), null when it is not bound. */
  readonly boundUntil: string | null;
  /** The last day a notice ends the contract at `boundUntil`; null when any day will do. */
  readonly lastDayToCancel: string | null;
  /** When the contract would end if notice were given today. */
  readonly endsIfCancelledToday: string;
  /** The next automatic renewal (the first day of the next term), null when the contract does not renew. */
  readonly renewsOn: string | null;
}

/**
 * What cancelling looks like today: the current term, the last day to give notice for it, and the day the
 * contract would end if notice were given today. An ended contract ends on its end date.
 */
export function cancellationOutlook(terms: ContractTerms, today: string): CancellationOutlook {
  if (terms.endDate) {
    return { boundUntil: null, lastDayToCancel: null, endsIfCancelledToday: terms.endDate, renewsOn: null };
  }
  const byNotice = noticeEnds(terms.notice, today);
  const bindingEnd = terms.bindingMonths > 0 ? termEnd(terms, 0) : null;
  if (terms.renewalMonths && terms.renewalMonths > 0) {
    // Automatic renewal: the first term whose notice deadline has not passed is the one a notice today ends.
    // Without a binding period the first term is one renewal period long.
    const first = terms.bindingMonths > 0 ? 0 : 1;
    let k = first;
    if (today > termEnd(terms, k)) {
      const period = terms.renewalMonths;
      const elapsedMonths = Math.floor(daysBetween(terms.startDate, today) / 31) - terms.bindingMonths;
      k = Math.max(first, Math.floor(elapsedMonths / period));
    }
    while (lastNoticeDayFor(terms.notice, termEnd(terms, k)) < today) k += 1;
    const end = termEnd(terms, k);
    return {
      boundUntil: end,
      lastDayToCancel: lastNoticeDayFor(terms.notice, end),
      endsIfCancelledToday: end,
      renewsOn: addDays(end, 1),
    };
  }
  // Runs on until further notice after the binding period.
  if (bindingEnd && today <= bindingEnd) {
    const last = lastNoticeDayFor(terms.notice, bindingEnd);
    return {
      boundUntil: bindingEnd,
      lastDayToCancel: last,
      endsIfCancelledToday: byNotice > bindingEnd ? byNotice : bindingEnd,
      renewsOn: null,
    };
  }
  return { boundUntil: null, lastDayToCancel: null, endsIfCancelledToday: byNotice, renewsOn: null };
}

/**
 * What cancelling today would save this calendar year: the payments after the day the contract would end, up to
 * 31 December of `today`'s year.
 */
export function savingsIfCancelledToday(terms: ContractTerms, today: string): number {
  const { endsIfCancelledToday } = cancellationOutlook(terms, today);
  const yearEnd = `${today.slice(0, 4)}-12-31`;
  if (endsIfCancelledToday >= yearEnd) return 0;
  return sum(paymentsBetween(terms, addDays(endsIfCancelledToday, 1), yearEnd));
}

/**
 * What the contract has cost from its start until `today`: the scheduled amounts, where `actuals` (the paid
 * amount of a variable-amount payment, keyed by its scheduled date) replace them.
 */
export function costSoFar(
  terms: ContractTerms,
  today: string,
  actuals?: ReadonlyMap<string, number>,
): number {
  return sum(
    paymentsBetween(terms, terms.startDate, today).map((p) => ({
      ...p,
      amount: actuals?.get(p.date) ?? p.amount,
    })),
  );
}

const sum = (payments: readonly Payment[]): number => payments.reduce((total, p) => total + p.amount, 0);
