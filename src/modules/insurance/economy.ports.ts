import type { SuppliersForMatching } from '../economy/economy.contract';
import { SuppliersService } from '../economy/suppliers/suppliers.service';

/** The insurance module's only link to the economy module's classes: the insurer is a supplier. */
export const SUPPLIERS = Symbol('SuppliersForInsurance');

export type { SuppliersForMatching };

export const ECONOMY_PORTS = [{ provide: SUPPLIERS, useExisting: SuppliersService }];
