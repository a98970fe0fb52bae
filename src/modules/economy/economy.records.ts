import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { formatMoney } from '../../common/money';
import { portableStore } from '../portability/portable-store';
import { RecordRegistry } from '../trash/record-registry';
import { ECONOMY_WRITES_LISTENER, type EconomyWritesListener, type MatchingInput } from './economy.contract';
import { BillsRepository } from './bills/bills.repository';
import { billInvoiceKey, type BillDoc } from './bills/bills.schema';
import { CategoriesRepository } from './categories/categories.repository';
import type { CategoryDoc } from './categories/categories.schema';
import { SuppliersRepository } from './suppliers/suppliers.repository';
import type { SupplierDoc } from './suppliers/suppliers.schema';
import { TransactionsRepository } from './transactions/transactions.repository';
import type { TransactionDoc } from './transactions/transactions.schema';

/** Record type names in the trash, the uploads (`recordId`) and audit entries: never rename. */
export const ECONOMY_RECORD_TYPES = {
  category: 'category',
  supplier: 'supplier',
  transaction: 'transaction',
  bill: 'bill',
} as const;

const money = (ore: number, currency: string) => formatMoney(ore, { currency });

/**
 * Registers the economy's records with the trash and the uploads: DELETE routes move them to the trash (with the
 * undo payload), `POST /trash/:id/restore` brings them back (refused while a live record took the unique name, or
 * while a parent category is itself in the trash), purge removes them for good. Receipts and invoices can be
 * attached to transactions, bills and suppliers. A transaction or bill matched with a bank line belongs to a
 * verifikation: it counts as bookkeeping (never deleted, BFL 7 kap) — the services refuse that earlier with
 * LINKED_TO_BANK_LINE anyway.
 */
@Injectable()
export class EconomyRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly categories: CategoriesRepository,
    private readonly suppliers: SuppliersRepository,
    private readonly transactions: TransactionsRepository,
    private readonly bills: BillsRepository,
    @Optional() @Inject(ECONOMY_WRITES_LISTENER) private readonly writes?: EconomyWritesListener,
  ) {}

  /** A restored bill, transaction or supplier is something matching reads again (economy.contract.ts). */
  private async told<T>(kind: MatchingInput, restored: Promise<T>): Promise<T> {
    const result = await restored;
    if (result) await this.writes?.economyChanged(kind);
    return result;
  }

  onModuleInit(): void {
    this.registry.register<CategoryDoc>({
      type: ECONOMY_RECORD_TYPES.category,
      find: (id, { withDeleted }) => this.categories.findById(id, { withDeleted }),
      label: (c) => c.name,
      canOwnFiles: false,
      parentOf: (c) => (c.parentId ? { type: ECONOMY_RECORD_TYPES.category, id: c.parentId } : null),
      // Export/import: a category whose kind, parent and name a live one already has is mapped to that one.
      portable: {
        file: 'categories',
        ...portableStore(this.categories),
        references: { parentId: ECONOMY_RECORD_TYPES.category },
        uniqueKey: (c) =>
          [c.kind, c.parentId, c.nameKey].map((v) => (typeof v === 'string' ? v : '')).join('|'),
      },
      trash: {
        softDelete: (id, at) => this.categories.softDeleteById(id, at),
        restore: (id) => this.categories.restoreUnlessTaken(id),
        restoreConflict: async (c) =>
          (await this.categories.findSibling(c.kind, c.parentId, c.nameKey))
            ? { field: 'name', value: c.name }
            : null,
        purge: (id) => this.categories.purgeDeleted(id),
      },
    });
    this.registry.register<SupplierDoc>({
      type: ECONOMY_RECORD_TYPES.supplier,
      find: (id, { withDeleted }) => this.suppliers.findById(id, { withDeleted }),
      label: (s) => s.name,
      portable: {
        file: 'suppliers',
        ...portableStore(this.suppliers),
        references: { defaultCategoryId: ECONOMY_RECORD_TYPES.category },
        uniqueKey: (s) => String(s.nameKey),
      },
      trash: {
        softDelete: (id, at) => this.suppliers.softDeleteById(id, at),
        restore: (id) => this.told('supplier', this.suppliers.restoreById(id)),
        restoreConflict: async (s) =>
          (await this.suppliers.findByNameKey(s.nameKey)) ? { field: 'name', value: s.name } : null,
        purge: (id) => this.suppliers.purgeDeleted(id),
      },
    });
    this.registry.register<TransactionDoc>({
      type: ECONOMY_RECORD_TYPES.transaction,
      find: (id, { withDeleted }) => this.transactions.findById(id, { withDeleted }),
      label: (t) => `${t.date} ${t.description} ${money(t.amount, t.currency)}`,
      bookkeeping: (t) => t.bankLineId !== null,
      // Bank lines are export-only (docs/portability.md): an imported transaction is not matched to one.
      portable: {
        file: 'transactions',
        ...portableStore(this.transactions),
        references: { supplierId: ECONOMY_RECORD_TYPES.supplier, categoryId: ECONOMY_RECORD_TYPES.category },
        userFields: ['createdBy'],
        droppedFields: ['bankLineId'],
      },
      trash: {
        softDelete: (id, at) => this.transactions.softDeleteById(id, at),
        restore: (id) => this.told('transaction', this.transactions.restoreById(id)),
        purge: (id) => this.transactions.purgeDeleted(id),
      },
    });
    this.registry.register<BillDoc>({
      type: ECONOMY_RECORD_TYPES.bill,
      find: (id, { withDeleted }) => this.bills.findById(id, { withDeleted }),
      label: (b) => `${b.invoiceNumber ?? b.ocr ?? b._id} ${money(b.amount, b.currency)} ${b.dueDate}`,
      bookkeeping: (b) => b.bankLineId !== null,
      portable: {
        file: 'bills',
        ...portableStore(this.bills),
        references: { supplierId: ECONOMY_RECORD_TYPES.supplier, categoryId: ECONOMY_RECORD_TYPES.category },
        userFields: ['createdBy'],
        droppedFields: ['bankLineId'],
        // the duplicate key names the bill's supplier (and its own id without a number): rebuilt from the new ids
        fromRow: (b) => ({
          ...b,
          invoiceKey: billInvoiceKey(
            String(b._id),
            String(b.supplierId),
            (b.invoiceNumber as string | null) ?? null,
          ),
        }),
        uniqueKey: (b) => String(b.invoiceKey),
      },
      trash: {
        softDelete: (id, at) => this.bills.softDeleteById(id, at),
        restore: (id) => this.told('bill', this.bills.restoreById(id)),
        purge: (id) => this.bills.purgeDeleted(id),
      },
    });
  }
}
