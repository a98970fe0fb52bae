/** The pure matching engine's inputs and outputs (no database, no Nest: the service and the bench share them). */

export type CandidateType = 'bill' | 'transaction';
export type Direction = 'in' | 'out';

/** A bank line as the engine sees it. */
export interface MatchLine {
  id: string;
  /** Booking date `YYYY-MM-DD`. */
  date: string;
  /** Signed öre: money in > 0, money out < 0. */
  amount: number;
  reference: string | null;
  text: string;
  counterpartyName: string | null;
  /**
   * The bank's transaction code when the statement carries one (camt `BkTxCd`: `PMNT-CCRD-POSD`, or a proprietary
   * code; a CSV column): a card code marks a card purchase, like "Kortköp" in the text.
   */
  transactionCode?: string | null;
}

/** An open item a line may settle: an open bill (money out) or an unlinked transaction. */
export interface MatchItem {
  type: CandidateType;
  id: string;
  direction: Direction;
  /** öre, > 0 */
  amount: number;
  /** The due date of a bill, the date of a transaction. */
  date: string;
  /** OCR number (digits) of a bill. */
  ocr: string | null;
  invoiceNumber: string | null;
  /** Names to compare with the bank's text: supplier name and aliases, a transaction's description. */
  names: string[];
  /** `supplier:<id>` when the item has a supplier; null → the line's normalised name is the counterparty. */
  counterpartyKey: string | null;
  /** Shown to people: supplier name or description. */
  label: string;
}

export interface CounterpartyHistory {
  approved: number;
  rejected: number;
}

export interface MatchSignals {
  /** The line carries the bill's OCR number, or its invoice number appears in the line's text. */
  reference: { kind: 'ocr' | 'invoice_number'; value: string } | null;
  amount: {
    kind: 'exact' | 'within_tolerance' | 'different';
    differenceOre: number;
    toleranceOre: number;
    /** Present (true) when the amount is exact and has öre (stronger evidence). */
    specific?: true;
  };
  /** Line date minus the item's date, in days (positive: paid after the due date). */
  date: { days: number; relativeTo: 'due_date' | 'date'; score: number };
  /** Best name similarity between the bank's name/text and the item's names; null when not computed or no name. */
  name: { similarity: number; matched: string } | null;
  /** Past decisions for this counterparty; null when there are none. */
  history: CounterpartyHistory | null;
  /** The line's OCR number when it is not this bill's (the bill has another): evidence against the pair. */
  otherReference?: string;
  /** Present (true) when the line is a card purchase: evidence against a bill, or a transaction dated otherwise. */
  cardPurchase?: true;
  /** Other candidates that explain the line almost as well (at least a quarter as likely), at most 2. */
  rivals?: { type: CandidateType; id: string; label: string }[];
}

export interface Suggestion {
  candidate: { type: CandidateType; id: string };
  label: string;
  confidence: number;
  why: { sv: string; en: string };
  signals: MatchSignals;
  /** The policy key of this pairing (see `counterpartyKeyFor`). */
  counterpartyKey: string;
  scoreVersion: string;
}
