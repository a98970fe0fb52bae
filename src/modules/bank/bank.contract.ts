/**
 * What the bank module offers other modules (AI categorization). The bank module implements these on its services
 * (exported from BankModule); a consumer depends only on this file's shapes and binds a token to the service in one
 * ports file. Calls act in the organization of the current request/job context.
 */

/** An open bank line as categorization reads it. `amount` is signed öre: money in > 0, out < 0. */
export interface BankLineForCategorization {
  id: string;
  bookingDate: string;
  amount: number;
  text: string;
  counterpartyName: string | null;
}

/** Implemented by LinesService. */
export interface BankLinesForCategorization {
  /** The open lines (not matched, booked or ignored) of an import, by id; at most `limit`. */
  openLinesOfImport(importId: string, limit: number): Promise<BankLineForCategorization[]>;
}
