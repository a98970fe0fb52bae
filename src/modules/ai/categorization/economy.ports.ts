import type { SuppliersForMatching, TransactionsForCategorization } from '../../economy/economy.contract';
import { CategoriesService } from '../../economy/categories/categories.service';
import { SuppliersService } from '../../economy/suppliers/suppliers.service';
import { TransactionsService } from '../../economy/transactions/transactions.service';

/**
 * AI categorization's only link to the economy module's classes: injection tokens bound to the services that
 * implement `economy.contract.ts`. Everything else here sees the interfaces below.
 */
export const TRANSACTIONS = Symbol('TransactionsForCategorization');
export const SUPPLIERS = Symbol('SuppliersForCategorization');
export const CATEGORIES = Symbol('CategoriesForCategorization');

/** What categorization reads of a category (CategoriesService.liveMap's records satisfy it). */
export interface CategoryForCategorization {
  _id: string;
  name: string;
  kind: 'income' | 'expense';
  parentId: string | null;
  defaultKey: string | null;
}
export interface CategoriesForCategorization {
  /** Every live category of the organization by id. */
  liveMap(): Promise<Map<string, CategoryForCategorization>>;
}

export type { SuppliersForMatching, TransactionsForCategorization };

export const ECONOMY_PORTS = [
  { provide: TRANSACTIONS, useExisting: TransactionsService },
  { provide: SUPPLIERS, useExisting: SuppliersService },
  { provide: CATEGORIES, useExisting: CategoriesService },
];
