/**
 * What the economy module offers the bank module (matching and booking). The economy module implements these
 * on its services (exported from EconomyModule); the bank module depends only on this file's shapes. All calls
 * act in the organization of the current request/job context (TenantRepository).
 *
 * Amounts are integer öre, > 0; dates are calendar dates `YYYY-MM-DD`.
 */

export interface OpenBillCandidate {
  id: string;
  supplierId: string;
  supplierName: string;
  /** The names banks print for this supplier, lower-cased. */
  supplierAliases: string[];
  ocr: string | null;
  invoiceNumber: string | null;
  amount: number;
  currency: string;
  dueDate: string;
  categoryId: string | null;
}

export interface TransactionCandidate {
  id: string;
  date: string;
  amount: number;
  type: 'income' | 'expense';
  description: string;
  supplierId: string | null;
  supplierName: string | null;
  categoryId: string | null;
}

export interface SupplierForMatching {
  id: string;
  name: string;
  aliases: string[];
  defaultCategoryId: string | null;
}

export interface CategoryForBooking {
  id: string;
  name: string;
  kind: 'income' | 'expense';
  /** BAS account number (e.g. '5010'), or null when none was set. */
  basAccount: string | null;
}

/** Implemented by BillsService. */
export interface BillsForMatching {
  /** Open bills whose amount is in [amountMin, amountMax] and due date in [dueFrom, dueTo], or whose OCR is in `ocrs`. */
  findOpenForMatching(query: {
    amountMin: number;
    amountMax: number;
    dueFrom: string;
    dueTo: string;
    ocrs?: string[];
  }): Promise<OpenBillCandidate[]>;
  /**
   * Marks an open bill paid by a bank line. Already paid by the same line: no-op (retries are safe). Otherwise not
   * open → `notFound('bill')` (404 `NOT_FOUND`).
   */
  markPaid(id: string, payment: { paidAt: string; bankLineId: string }): Promise<void>;
  /** Back to open (undo of a match). */
  reopen(id: string): Promise<void>;
}

/** Implemented by TransactionsService. */
export interface TransactionsForMatching {
  /** Transactions not linked to any bank line, amount in range, date in range. */
  findUnlinkedForMatching(query: {
    amountMin: number;
    amountMax: number;
    dateFrom: string;
    dateTo: string;
  }): Promise<TransactionCandidate[]>;
  /** Creates a transaction with source `bank` linked to the line; idempotent per bank line (returns the existing one). */
  createFromBank(input: {
    date: string;
    amount: number;
    type: 'income' | 'expense';
    description: string;
    categoryId: string;
    supplierId?: string | null;
    bankLineId: string;
  }): Promise<{ id: string }>;
  /** Links (or with null unlinks) a transaction and a bank line. */
  linkBankLine(id: string, bankLineId: string | null): Promise<void>;
}

/** Implemented by SuppliersService and CategoriesService. */
export interface SuppliersForMatching {
  listForMatching(): Promise<SupplierForMatching[]>;
  /** One supplier (not deleted), or null. */
  findForMatching(id: string): Promise<SupplierForMatching | null>;
}
export interface CategoriesForBooking {
  getForBooking(id: string): Promise<CategoryForBooking>;
}

/** What matching reads from the economy module. */
export type MatchingInput = 'bill' | 'transaction' | 'supplier';

/**
 * Told after every write to bills, transactions or suppliers made through the economy's own routes (creates,
 * updates, deletes, trash restores), so a consumer can tell stored matching results from stale ones. Bound by the
 * bank module (`MatchingGenerationModule`, global); economy services inject it `@Optional()`. The bank's own
 * calls above (markPaid, reopen, createFromBank, linkBankLine) are not reported: the bank records those itself.
 */
export interface EconomyWritesListener {
  economyChanged(kind: MatchingInput): Promise<void>;
}
export const ECONOMY_WRITES_LISTENER = Symbol.for('EconomyWritesListener');

// ---- What the reports module reads (src/modules/reports/reports.ports.ts) ----

/** One transaction as a report lists it. */
export interface TransactionForReport {
  id: string;
  date: string;
  amount: number;
  type: 'income' | 'expense';
  currency: string;
  description: string;
  supplierId: string | null;
  categoryId: string | null;
}

/** A report's selection of transactions: a date range, one currency, optionally only some categories. */
export interface ReportTransactionFilter {
  dateFrom: string;
  dateTo: string;
  currency: string;
  /** Only these categories (already expanded by the caller); an empty list matches nothing. */
  categoryIds?: string[];
}

/** Implemented by TransactionsService. */
export interface TransactionsForReports {
  /**
   * Sums and counts per `key` (`period`, `categoryId` or `supplierId`; null = none) and type, summed by the
   * database (one pipeline per accumulator on FerretDB).
   */
  reportTotals(
    key: 'period' | 'categoryId' | 'supplierId',
    filter: ReportTransactionFilter,
  ): Promise<{ key: string | null; type: 'income' | 'expense'; total: number; count: number }[]>;
  /** One page of the selection, oldest first (keyset on date, id); `cursor` from the previous page. */
  reportPage(
    filter: ReportTransactionFilter,
    page: { cursor?: string; limit: number },
  ): Promise<{ items: TransactionForReport[]; nextCursor: string | null }>;
}

/** Implemented by CategoriesService: every category, deleted ones too (old transactions still name them). */
export interface CategoriesForReports {
  labels(): Promise<
    Map<
      string,
      {
        name: string;
        path: string;
        kind: 'income' | 'expense';
        parentId: string | null;
        basAccount: string | null;
      }
    >
  >;
}

/** Implemented by SuppliersService: the suppliers among `ids` (deleted ones too are not needed: missing = null). */
export interface SuppliersForReports {
  byIds(ids: string[]): Promise<Map<string, { name: string }>>;
}

/** Implemented by BillsService: open bills due in a date range (a report's upcoming payments). */
export interface BillsForReports {
  /** Open bills due from `from` to `to` (both included), earliest first, at most `limit`, with the supplier's name. */
  openBillsDue(
    from: string,
    to: string,
    limit: number,
  ): Promise<{ id: string; dueDate: string; supplierName: string; amount: number; currency: string }[]>;
}

// ---- What AI categorization reads and writes (src/modules/ai/categorization/economy.ports.ts) ----

/** A transaction as categorization learns from it or categorizes it. */
export interface TransactionForCategorization {
  id: string;
  date: string;
  amount: number;
  type: 'income' | 'expense';
  description: string;
  supplierId: string | null;
  categoryId: string | null;
}

/** Implemented by TransactionsService. */
export interface TransactionsForCategorization {
  /** The newest categorized live transactions, at most `limit` (the model's training set). */
  categorizedForTraining(limit: number): Promise<TransactionForCategorization[]>;
  /** Live transactions among `ids` (at most 1000). */
  forCategorization(ids: string[]): Promise<TransactionForCategorization[]>;
  /**
   * Sets the category of transactions that still have none (one a person categorized meanwhile is left alone); one
   * audit entry `transaction.auto_categorized` per call. Answers the ids changed.
   */
  applyCategories(
    assignments: { id: string; categoryId: string }[],
    metadata: Record<string, unknown>,
  ): Promise<string[]>;
}

// ---- What AI forecasts and anomalies read (src/modules/ai/forecast/insights.ports.ts) ----

/** A bill as the forecast (open ones: known payments) and the anomaly detection (paid ones) read it. */
export interface BillForInsights {
  id: string;
  supplierId: string;
  supplierName: string;
  categoryId: string | null;
  amount: number;
  currency: string;
  dueDate: string;
  status: 'open' | 'paid';
  paidAt: string | null;
}

/** Implemented by BillsService. */
export interface BillsForInsights {
  /** Live bills due from `from` to `to` (both included), open and paid, earliest first. */
  billsForInsights(from: string, to: string): Promise<BillForInsights[]>;
}
