import type { CategoriesForBooking, SuppliersForMatching } from '../economy/economy.contract';
import { BillsService } from '../economy/bills/bills.service';
import { CategoriesService } from '../economy/categories/categories.service';
import { SuppliersService } from '../economy/suppliers/suppliers.service';
import { TransactionsService } from '../economy/transactions/transactions.service';

/**
 * The contracts module's only link to the economy module's classes: tokens bound to the services that implement
 * `economy.contract.ts` (the provider is a supplier, the category a category) or the narrow shapes below (the
 * transaction or bill that paid a payment).
 */
export const SUPPLIERS = Symbol('SuppliersForContracts');
export const CATEGORIES = Symbol('CategoriesForContracts');
export const TRANSACTIONS = Symbol('TransactionsForContracts');
export const BILLS = Symbol('BillsForContracts');

/** A transaction or bill a payment links to; `get` throws the common `notFound` for a missing or foreign one. */
export interface PaidBy {
  get(id: string): Promise<{ id: string; amount: number; currency: string }>;
}

export type { CategoriesForBooking, SuppliersForMatching };

export const ECONOMY_PORTS = [
  { provide: SUPPLIERS, useExisting: SuppliersService },
  { provide: CATEGORIES, useExisting: CategoriesService },
  { provide: TRANSACTIONS, useExisting: TransactionsService },
  { provide: BILLS, useExisting: BillsService },
];
