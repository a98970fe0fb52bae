import type { SuppliersForMatching } from '../economy/economy.contract';
import { SuppliersService } from '../economy/suppliers/suppliers.service';
import { TransactionsService } from '../economy/transactions/transactions.service';
import { UploadsService } from '../uploads/uploads.service';

/**
 * The warranties module's only links to other modules' classes: tokens bound to their exported services, seen
 * here through the narrow shapes below. `get` of a transaction or an upload throws the common `notFound` for a
 * missing or foreign one.
 */
export const SUPPLIERS = Symbol('SuppliersForWarranties');
export const TRANSACTIONS = Symbol('TransactionsForWarranties');
export const UPLOADS = Symbol('UploadsForWarranties');

export type { SuppliersForMatching };

export interface TransactionsForWarranties {
  get(id: string): Promise<{
    id: string;
    date: string;
    amount: number;
    currency: string;
    supplierId: string | null;
    description: string;
  }>;
}

export interface UploadsForWarranties {
  get(id: string): Promise<{
    id: string;
    name: string;
    recordId: string | null;
    recordType: string | null;
    createdAt: Date;
  }>;
}

export const WARRANTY_PORTS = [
  { provide: SUPPLIERS, useExisting: SuppliersService },
  { provide: TRANSACTIONS, useExisting: TransactionsService },
  { provide: UPLOADS, useExisting: UploadsService },
];
