import type { CategoriesForBooking, SuppliersForMatching } from '../economy/economy.contract';
import { CategoriesService } from '../economy/categories/categories.service';
import { SuppliersService } from '../economy/suppliers/suppliers.service';

/**
 * The contracts module's only link to the economy module's classes: tokens bound to the services that implement
 * `economy.contract.ts` (the provider is a supplier, the category a category).
 */
export const SUPPLIERS = Symbol('SuppliersForContracts');
export const CATEGORIES = Symbol('CategoriesForContracts');

export type { CategoriesForBooking, SuppliersForMatching };

export const ECONOMY_PORTS = [
  { provide: SUPPLIERS, useExisting: SuppliersService },
  { provide: CATEGORIES, useExisting: CategoriesService },
];
