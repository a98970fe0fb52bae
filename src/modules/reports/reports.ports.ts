import type { CarCostsForReports } from '../cars/cars.contract';
import { CarStatsService } from '../cars/stats/stats.service';
import type { ContractCostsForReports } from '../contracts/contracts.contract';
import { ContractStatsService } from '../contracts/stats/stats.service';
import type {
  BillsForReports,
  CategoriesForReports,
  SuppliersForReports,
  TransactionsForReports,
} from '../economy/economy.contract';
import { BillsService } from '../economy/bills/bills.service';
import { CategoriesService } from '../economy/categories/categories.service';
import { SuppliersService } from '../economy/suppliers/suppliers.service';
import { TransactionsService } from '../economy/transactions/transactions.service';

/**
 * The reports module's only link to the classes of the modules it reads: tokens bound to the services that
 * implement their contracts. Everything else in this module sees the contract interfaces only.
 */
export const REPORT_TRANSACTIONS = Symbol('TransactionsForReports');
export const REPORT_CATEGORIES = Symbol('CategoriesForReports');
export const REPORT_SUPPLIERS = Symbol('SuppliersForReports');
export const REPORT_CONTRACTS = Symbol('ContractCostsForReports');
export const REPORT_CARS = Symbol('CarCostsForReports');
export const REPORT_BILLS = Symbol('BillsForReports');

export type {
  BillsForReports,
  CarCostsForReports,
  CategoriesForReports,
  ContractCostsForReports,
  SuppliersForReports,
  TransactionsForReports,
};

export const REPORTS_PORTS = [
  { provide: REPORT_TRANSACTIONS, useExisting: TransactionsService },
  { provide: REPORT_CATEGORIES, useExisting: CategoriesService },
  { provide: REPORT_SUPPLIERS, useExisting: SuppliersService },
  { provide: REPORT_CONTRACTS, useExisting: ContractStatsService },
  { provide: REPORT_CARS, useExisting: CarStatsService },
  { provide: REPORT_BILLS, useExisting: BillsService },
];
