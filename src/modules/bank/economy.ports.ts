import type {
  BillsForMatching,
  CategoriesForBooking,
  SuppliersForMatching,
  TransactionsForMatching,
} from '../economy/economy.contract';
import { BillsService } from '../economy/bills/bills.service';
import { CategoriesService } from '../economy/categories/categories.service';
import { SuppliersService } from '../economy/suppliers/suppliers.service';
import { TransactionsService } from '../economy/transactions/transactions.service';

/**
 * The bank module's only link to the economy module's classes: injection tokens bound to the services that
 * implement `economy.contract.ts`. Everything else in the bank module sees the contract interfaces only.
 */
export const BILLS = Symbol('BillsForMatching');
export const TRANSACTIONS = Symbol('TransactionsForMatching');
export const SUPPLIERS = Symbol('SuppliersForMatching');
export const CATEGORIES = Symbol('CategoriesForBooking');

export type { BillsForMatching, CategoriesForBooking, SuppliersForMatching, TransactionsForMatching };

export const ECONOMY_PORTS = [
  { provide: BILLS, useExisting: BillsService },
  { provide: TRANSACTIONS, useExisting: TransactionsService },
  { provide: SUPPLIERS, useExisting: SuppliersService },
  { provide: CATEGORIES, useExisting: CategoriesService },
];
