/** Stored values: never rename. */
export const FUEL_TYPES = [
  'petrol',
  'diesel',
  'electric',
  'hybrid',
  'plugin_hybrid',
  'ethanol',
  'biogas',
  'hvo',
] as const;
export type FuelType = (typeof FUEL_TYPES)[number];

export const EVENT_TYPES = [
  'fuel',
  'service',
  'repair',
  'tyres',
  'inspection',
  'tax',
  'insurance',
  'parking',
  'toll',
  'loan',
  'washing',
  'other',
] as const;
export type CarEventType = (typeof EVENT_TYPES)[number];

/** `mil` is the Swedish mile, 10 km. */
export const ODOMETER_UNITS = ['km', 'mil'] as const;
export type OdometerUnit = (typeof ODOMETER_UNITS)[number];
export const KM_PER: Record<OdometerUnit, number> = { km: 1, mil: 10 };

/** A reading in kilometres as the car's odometer shows it (one decimal). */
export const inCarUnit = (unit: OdometerUnit, km: number | null): number | null =>
  km === null ? null : Math.round((km / KM_PER[unit]) * 10) / 10;

export const QUANTITY_UNITS = ['l', 'kWh'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];
