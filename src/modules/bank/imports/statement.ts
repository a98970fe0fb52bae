/** What every statement parser (camt.053, CSV) produces: bank lines in one shape, plus the rows it refused. */

export interface ParsedStatementLine {
  /** Where the line came from: the CSV line number (1-based, counting every physical line of the file), or the
   * position (1-based) of the `<Ntry>` entry in a camt.053 file. */
  lineNo: number;
  /** Booking date `YYYY-MM-DD`. */
  bookingDate: string;
  valueDate: string | null;
  /** Signed öre: money in > 0, money out < 0. Never 0. */
  amount: number;
  /** ISO currency of the line when the file names it. */
  currency: string | null;
  /** The free text the bank printed (unstructured remittance information, "Text", "Beskrivning"…). */
  text: string;
  /** Structured payment reference: the OCR number / creditor reference, or the CSV reference column. */
  reference: string | null;
  /** The other party's name when the file names it (camt: creditor for money out, debtor for money in). */
  counterpartyName: string | null;
  /** The bank's own unique reference of the entry (camt `AcctSvcrRef`; a CSV column mapped to it). */
  bankReference: string | null;
  /** The payer's end-to-end id (camt `EndToEndId`), when given and not `NOTPROVIDED`. */
  endToEndId: string | null;
  /** The balance after the line (öre), when the file tells. */
  balance: number | null;
  /**
   * The bank's transaction code (camt `BkTxCd`): ISO 20022 `Domain-Family-SubFamily` such as `PMNT-CCRD-POSD`, else
   * the proprietary `Prtry/Cd`; null when the file has none (CSV has no such column).
   */
  transactionCode: string | null;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface StatementParseResult {
  lines: ParsedStatementLine[];
  rejected: RejectedRow[];
}

/** A whole-file problem (not XML, a mapped column missing…): the import fails with this message. */
export class StatementFormatError extends Error {}
