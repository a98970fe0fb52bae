import type { ReportLocale } from './format';

/**
 * Names people read for the codes other modules store (contract kinds and statuses, car event types). A code this
 * map does not know (a kind added later) is shown as it is.
 */
const LABELS: Record<string, { sv: string; en: string }> = {
  // contract kinds
  subscription: { sv: 'Abonnemang', en: 'Subscription' },
  electricity: { sv: 'El', en: 'Electricity' },
  broadband: { sv: 'Bredband', en: 'Broadband' },
  mobile: { sv: 'Mobil', en: 'Mobile' },
  insurance_premium: { sv: 'Försäkring', en: 'Insurance' },
  loan: { sv: 'Lån', en: 'Loan' },
  rent: { sv: 'Hyra', en: 'Rent' },
  membership: { sv: 'Medlemskap', en: 'Membership' },
  streaming: { sv: 'Streaming', en: 'Streaming' },
  other: { sv: 'Övrigt', en: 'Other' },
  // contract statuses
  active: { sv: 'Aktivt', en: 'Active' },
  ending: { sv: 'Upphör', en: 'Ending' },
  cancelled: { sv: 'Uppsagt', en: 'Cancelled' },
  ended: { sv: 'Avslutat', en: 'Ended' },
  // car event types
  fuel: { sv: 'Drivmedel', en: 'Fuel' },
  service: { sv: 'Service', en: 'Service' },
  repair: { sv: 'Reparation', en: 'Repair' },
  tyres: { sv: 'Däck', en: 'Tyres' },
  inspection: { sv: 'Besiktning', en: 'Inspection' },
  tax: { sv: 'Skatt', en: 'Tax' },
  insurance: { sv: 'Försäkring', en: 'Insurance' },
  parking: { sv: 'Parkering', en: 'Parking' },
  toll: { sv: 'Trängselskatt/vägavgift', en: 'Tolls' },
  washing: { sv: 'Tvätt', en: 'Washing' },
};

export const labelOf = (code: string, locale: ReportLocale): string => LABELS[code]?.[locale] ?? code;
