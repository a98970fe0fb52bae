import { addMonthsToDate } from '../../../common/dates';
import type { PremiumPeriod } from './policy-kinds';

const PAYMENTS_PER_YEAR: Record<PremiumPeriod, number> = {
  monthly: 12,
  quarterly: 4,
  half_yearly: 2,
  yearly: 1,
};

/** The premium per year in öre (premium per period × payments a year); null premium counts as 0. */
export function yearlyPremium(premium: number | null, period: PremiumPeriod): number {
  return (premium ?? 0) * PAYMENTS_PER_YEAR[period];
}

/**
 * The next renewal on or after `today`: the stored renewal date (huvudförfallodag), or — once it has passed — the
 * same day in a later year, counted from the stored date (29 February renews on 28 February in other years and on
 * the 29th again in leap years). Null without a renewal date.
 */
export function nextRenewal(renewalDate: string | null, today: string): string | null {
  if (!renewalDate) return null;
  if (renewalDate >= today) return renewalDate;
  const years = Number(today.slice(0, 4)) - Number(renewalDate.slice(0, 4));
  for (let n = Math.max(years - 1, 1); ; n++) {
    const next = addMonthsToDate(renewalDate, 12 * n);
    if (next >= today) return next;
  }
}

/**
 * A policy number as a viewer sees it: the last four characters (`•••• 5678`); a number of four characters or fewer
 * shows none of them.
 */
export function maskPolicyNumber(value: string): string {
  return value.length > 4 ? `•••• ${value.slice(-4)}` : '••••';
}
