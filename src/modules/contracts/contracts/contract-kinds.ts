/** What a contract is for; stored, so never rename a value. */
export const CONTRACT_KINDS = [
  'subscription',
  'electricity',
  'broadband',
  'mobile',
  'insurance_premium',
  'loan',
  'rent',
  'membership',
  'streaming',
  'other',
] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];

/** The frequencies people pick; `every_n_months` takes `everyMonths`. */
export const FREQUENCIES = [
  'weekly',
  'monthly',
  'quarterly',
  'half_yearly',
  'yearly',
  'every_n_months',
] as const;
export type FrequencyName = (typeof FREQUENCIES)[number];

/** A contract's state on a day: computed from `cancelledOn` and `endDate`, never stored. */
export const CONTRACT_STATUSES = ['active', 'ending', 'ended', 'cancelled'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** A contract keeps at most this many price steps (a monthly price change for ten years). */
export const MAX_PRICE_STEPS = 120;
