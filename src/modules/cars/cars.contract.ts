/**
 * What the cars module offers other modules (no classes): `CarsService` (exported by CarsModule) implements it.
 * Bind a token to `CarsService` in the consumer's ports file and depend on this interface elsewhere.
 */
export interface CarsForLinking {
  /** A live car of the context's organization; throws the common `notFound('car')` when there is none. */
  get(id: string): Promise<{ id: string; registration: string; registrationDisplay: string; name: string }>;
}

/** One car's costs in a report's period (öre, SEK events only), per event type. */
export interface CarCostForReport {
  carId: string;
  name: string;
  registrationDisplay: string;
  total: number;
  byType: { type: string; cost: number }[];
}

/** Implemented by CarStatsService (exported by CarsModule). */
export interface CarCostsForReports {
  /** Every live car with a cost from `from` to `to` (dates included), the most expensive first. */
  reportCosts(from: string, to: string): Promise<CarCostForReport[]>;
}
