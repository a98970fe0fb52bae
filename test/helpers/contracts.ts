/**
 * A broadband contract bound for 12 months from 2026-01-15 with three months' notice, renewing for 12 months at a
 * time: its last day to cancel is 2026-10-14 and it renews on 2027-01-15.
 */
export const BROADBAND = {
  name: 'Bahnhof Fiber',
  kind: 'broadband',
  frequency: 'monthly',
  amount: 39_900,
  startDate: '2026-01-15',
  bindingMonths: 12,
  notice: { unit: 'month', count: 3 },
  renewalMonths: 12,
} as const;
