import type { ReportLocale } from '../common/format';

export const REPORT_KINDS = ['monthly', 'yearly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Sums {
  income: number;
  expense: number;
  /** income − expense */
  net: number;
  count: number;
}

/** Everything a report shows but its transaction list (which renderers read page by page). Money in öre, SEK. */
export interface ReportData {
  kind: ReportKind;
  /** `YYYY-MM` (monthly) or `YYYY` (yearly). */
  period: string;
  from: string;
  to: string;
  /** Stockholm calendar date the report was made. */
  generatedOn: string;
  organizationName: string;
  locale: ReportLocale;
  currency: string;
  filters: { categories: string[]; accounts: string[] };
  totals: Sums;
  /** The 12 months ending with the report's last month, oldest first (all filters applied). */
  trend: (Sums & { period: string })[];
  /** Income and expenses per category (leaf categories, with their path), largest first. */
  byCategory: (Sums & { id: string | null; name: string; share: number })[];
  /** Expenses rolled up to their root category (the pie chart), largest first; `share` of all expenses. */
  expenseShares: { name: string; amount: number; share: number }[];
  bySupplier: (Sums & { id: string | null; name: string })[];
  contracts: {
    id: string;
    name: string;
    kind: string;
    status: string;
    monthly: number;
    yearly: number;
    inPeriod: number;
  }[];
  cars: {
    id: string;
    name: string;
    registration: string;
    total: number;
    byType: { type: string; cost: number }[];
  }[];
  /** Contract payment days and open bills (SEK) from today to the end of the third month, earliest first. */
  upcoming: { date: string; name: string; amount: number; source: 'contract' | 'bill' }[];
}

/** One row of the transaction list. */
export interface ReportTransaction {
  id: string;
  date: string;
  type: 'income' | 'expense';
  amount: number;
  description: string;
  category: string;
  supplier: string;
}

/** The transaction list as renderers read it: pages of rows, oldest first; `count` is known up front. */
export interface TransactionSource {
  count: number;
  pages(): AsyncIterable<ReportTransaction[]>;
}

/** Told after each section or page of rows written, for the job's progress. */
export type Progress = (rowsOrSteps: number) => void;
