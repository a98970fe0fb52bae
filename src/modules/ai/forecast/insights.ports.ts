import type { ContractForInsights, ContractsForInsights } from '../../contracts/contracts.contract';
import { ContractStatsService } from '../../contracts/stats/stats.service';
import type {
  BillForInsights,
  BillsForInsights,
  CategoriesForReports,
  SuppliersForReports,
  TransactionsForReports,
} from '../../economy/economy.contract';
import { BillsService } from '../../economy/bills/bills.service';
import { CategoriesService } from '../../economy/categories/categories.service';
import { SuppliersService } from '../../economy/suppliers/suppliers.service';
import { TransactionsService } from '../../economy/transactions/transactions.service';

/**
 * The forecast's and the anomaly detection's only link to the classes of the modules they read (docs/modules.md §2):
 * tokens bound to the services that implement the economy's and the contracts' contracts. Everything else in
 * `forecast/` and `anomalies/` sees the contract interfaces only.
 */
export const INSIGHT_TRANSACTIONS = Symbol('TransactionsForInsights');
export const INSIGHT_CATEGORIES = Symbol('CategoriesForInsights');
export const INSIGHT_SUPPLIERS = Symbol('SuppliersForInsights');
export const INSIGHT_BILLS = Symbol('BillsForInsights');
export const INSIGHT_CONTRACTS = Symbol('ContractsForInsights');

export type {
  BillForInsights,
  BillsForInsights,
  CategoriesForReports,
  ContractForInsights,
  ContractsForInsights,
  SuppliersForReports,
  TransactionsForReports,
};

export const INSIGHTS_PORTS = [
  { provide: INSIGHT_TRANSACTIONS, useExisting: TransactionsService },
  { provide: INSIGHT_CATEGORIES, useExisting: CategoriesService },
  { provide: INSIGHT_SUPPLIERS, useExisting: SuppliersService },
  { provide: INSIGHT_BILLS, useExisting: BillsService },
  { provide: INSIGHT_CONTRACTS, useExisting: ContractStatsService },
];
