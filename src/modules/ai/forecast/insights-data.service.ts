import { Inject, Injectable } from '@nestjs/common';
import {
  INSIGHT_BILLS,
  INSIGHT_CATEGORIES,
  INSIGHT_CONTRACTS,
  INSIGHT_SUPPLIERS,
  INSIGHT_TRANSACTIONS,
  type BillForInsights,
  type BillsForInsights,
  type CategoriesForReports,
  type ContractForInsights,
  type ContractsForInsights,
  type SuppliersForReports,
  type TransactionsForReports,
} from './insights.ports';

/** Forecasts and anomalies sum one currency, the organization's: SEK (like the statistics). */
export const INSIGHTS_CURRENCY = 'SEK';
/** Transactions read per page. */
const PAGE = 1_000;

/** One expense as the pure forecast and detection functions take it. */
export interface ExpenseRow {
  id: string;
  date: string;
  amount: number;
  supplierId: string | null;
  categoryId: string | null;
  description: string;
}

/**
 * Gathers what the forecast and the anomaly detection read, in the organization of the current context, through
 * the economy's and the contracts' contracts only. SEK records; other currencies are left out.
 */
@Injectable()
export class InsightsDataService {
  constructor(
    @Inject(INSIGHT_TRANSACTIONS) private readonly transactions: TransactionsForReports,
    @Inject(INSIGHT_CATEGORIES) private readonly categories: CategoriesForReports,
    @Inject(INSIGHT_SUPPLIERS) private readonly suppliers: SuppliersForReports,
    @Inject(INSIGHT_BILLS) private readonly bills: BillsForInsights,
    @Inject(INSIGHT_CONTRACTS) private readonly contracts: ContractsForInsights,
  ) {}

  /** Every live SEK expense dated from `from` to `to`, oldest first. */
  async expenses(from: string, to: string): Promise<ExpenseRow[]> {
    const out: ExpenseRow[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.transactions.reportPage(
        { dateFrom: from, dateTo: to, currency: INSIGHTS_CURRENCY },
        { cursor, limit: PAGE },
      );
      for (const t of page.items)
        if (t.type === 'expense')
          out.push({
            id: t.id,
            date: t.date,
            amount: t.amount,
            supplierId: t.supplierId,
            categoryId: t.categoryId,
            description: t.description,
          });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  /** SEK contracts running at some time from `from` on, with their payment days up to `to`. */
  async contractsBetween(from: string, to: string): Promise<ContractForInsights[]> {
    return (await this.contracts.contractsForInsights(from, to)).filter(
      (c) => c.currency === INSIGHTS_CURRENCY,
    );
  }

  /** SEK bills due from `from` to `to`, open and paid. */
  async billsBetween(from: string, to: string): Promise<BillForInsights[]> {
    return (await this.bills.billsForInsights(from, to)).filter((b) => b.currency === INSIGHTS_CURRENCY);
  }

  /** Category id → its path ("Boende / El"), deleted categories too. */
  async categoryNames(): Promise<Map<string, string>> {
    const labels = await this.categories.labels();
    return new Map([...labels].map(([id, l]) => [id, l.path || l.name]));
  }

  async supplierNames(ids: Iterable<string>): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const found = await this.suppliers.byIds(unique);
    return new Map([...found].map(([id, s]) => [id, s.name]));
  }
}
