/**
 * What the cars module offers other modules (no classes): `CarsService` (exported by CarsModule) implements it.
 * Bind a token to `CarsService` in the consumer's ports file and depend on this interface elsewhere.
 */
export interface CarsForLinking {
  /** A live car of the context's organization; throws the common `notFound('car')` when there is none. */
  get(id: string): Promise<{ id: string; registration: string; registrationDisplay: string; name: string }>;
}
