/** Insurance types; stored, so never rename a value. */
export const POLICY_TYPES = ['home', 'car', 'life', 'pet', 'travel', 'accident', 'other'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

/** How often the premium is paid; stored, so never rename a value. */
export const PREMIUM_PERIODS = ['monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export type PremiumPeriod = (typeof PREMIUM_PERIODS)[number];

/** Swedish names of the types, for texts people read (reminder titles). */
export const POLICY_TYPE_SV: Record<PolicyType, string> = {
  home: 'Hemförsäkring',
  car: 'Bilförsäkring',
  life: 'Livförsäkring',
  pet: 'Djurförsäkring',
  travel: 'Reseförsäkring',
  accident: 'Olycksfallsförsäkring',
  other: 'Försäkring',
};
export const POLICY_TYPE_EN: Record<PolicyType, string> = {
  home: 'Home insurance',
  car: 'Car insurance',
  life: 'Life insurance',
  pet: 'Pet insurance',
  travel: 'Travel insurance',
  accident: 'Accident insurance',
  other: 'Insurance',
};

/** Days ahead that GET /insurance/summary lists renewals for. */
export const RENEWAL_WINDOW_DAYS = 60;
