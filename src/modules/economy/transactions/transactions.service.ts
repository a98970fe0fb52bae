import { Inject, Injectable, Optional } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { CommonError, notFound } from '../../../common/errors/domain-error';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import type { CategoryDoc } from '../categories/categories.schema';
import { CategoriesService } from '../categories/categories.service';
import { periodOf } from '../common/dates';
import type { MoneyType } from '../common/economy.zod';
import type { KeysetSort } from '../../../infrastructure/mongo/keyset';
import { normalizeKey, unique } from '../common/text';
import {
  ECONOMY_WRITES_LISTENER,
  type TransactionCandidate,
  type ReportTransactionFilter,
  type TransactionForReport,
  type TransactionsForMatching,
  type TransactionsForReports,
  type EconomyWritesListener,
  type TransactionForCategorization,
  type TransactionsForCategorization,
} from '../economy.contract';
import { EconomyError } from '../economy.errors';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { ECONOMY_RECORD_TYPES } from '../economy.records';
import type { SupplierDoc } from '../suppliers/suppliers.schema';
import { SuppliersService } from '../suppliers/suppliers.service';
import {
  TransactionsRepository,
  type TransactionListFilter,
  type TransactionSortField,
} from './transactions.repository';
import type { TransactionDoc, TransactionSource } from './transactions.schema';

export interface TransactionInput {
  date: string;
  amount: number;
  type: MoneyType;
  currency?: string;
  description: string;
  supplierId?: string | null;
  /** Omitted: the supplier's default category when it is of the right kind. `null`: uncategorized. */
  categoryId?: string | null;
  tags?: string[];
  note?: string | null;
}

export interface BulkTransactionInput extends TransactionInput {
  source?: Extract<TransactionSource, 'manual' | 'import'>;
}

export type TransactionPatch = Partial<TransactionInput>;

export interface TransactionView {
  id: string;
  date: string;
  period: string;
  amount: number;
  type: MoneyType;
  currency: string;
  description: string;
  note: string | null;
  supplierId: string | null;
  categoryId: string | null;
  tags: string[];
  source: TransactionSource;
  bankLineId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TransactionQuery extends Omit<TransactionListFilter, 'categoryIds'> {
  /** Includes its subcategories. */
  categoryId?: string;
}

/** Changing these on a transaction that a bank line is matched with would silently break the match. */
const BANK_LOCKED = ['date', 'amount', 'type', 'currency'] as const;
const AUDITED = [
  'date',
  'amount',
  'type',
  'currency',
  'description',
  'note',
  'supplierId',
  'categoryId',
  'tags',
];
export const MAX_BULK = 1000;

export const transactionView = (t: TransactionDoc): TransactionView => ({
  id: t._id,
  date: t.date,
  period: t.period,
  amount: t.amount,
  type: t.type,
  currency: t.currency,
  description: t.description,
  note: t.note,
  supplierId: t.supplierId,
  categoryId: t.categoryId,
  tags: t.tags,
  source: t.source,
  bankLineId: t.bankLineId,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

const forCategorization = (t: TransactionDoc): TransactionForCategorization => ({
  id: t._id,
  date: t.date,
  amount: t.amount,
  type: t.type,
  description: t.description,
  supplierId: t.supplierId,
  categoryId: t.categoryId,
});

const textKey = (description: string, note: string | null) => normalizeKey(`${description} ${note ?? ''}`);
const tags = (values: string[] | undefined) =>
  unique((values ?? []).map(normalizeKey).filter((t) => t !== ''));

interface ReferenceError {
  index?: number;
  field: string;
  code: 'INVALID_REFERENCE' | 'CATEGORY_KIND_MISMATCH';
}

@Injectable()
export class TransactionsService
  implements TransactionsForMatching, TransactionsForReports, TransactionsForCategorization
{
  constructor(
    private readonly transactions: TransactionsRepository,
    private readonly categories: CategoriesService,
    private readonly suppliers: SuppliersService,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly trash: TrashService,
    @Optional() @Inject(ECONOMY_WRITES_LISTENER) private readonly writes?: EconomyWritesListener,
  ) {}

  async list(
    query: TransactionQuery,
    sort: KeysetSort<TransactionSortField>,
    page: { cursor?: string; limit: number },
  ): Promise<Page<TransactionView>> {
    const { categoryId, ...rest } = query;
    const filter: TransactionListFilter = {
      ...rest,
      text: rest.text ? normalizeKey(rest.text) : undefined,
      tag: rest.tag ? normalizeKey(rest.tag) : undefined,
    };
    if (categoryId) filter.categoryIds = await this.categories.withDescendants(categoryId);
    const result = await this.transactions.list(filter, sort, page);
    return { items: result.items.map(transactionView), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<TransactionView> {
    return transactionView(await this.require(id));
  }

  async create(input: TransactionInput): Promise<TransactionView> {
    const [doc] = await this.prepare([input], 'manual', [await this.ids.getNextGlobalId()]);
    const created = await this.transactions.add(doc);
    await this.writes?.economyChanged('transaction');
    await this.audit.record({
      action: AuditAction.TransactionCreated,
      targetType: 'transaction',
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
    });
    return transactionView(created);
  }

  /**
   * Up to 1000 transactions in one call: every item is validated and every reference checked first (nothing is
   * written when one fails — the error lists the items), then ids are reserved as one consecutive block and the
   * records inserted in one round trip. One audit entry names the block.
   */
  async bulkCreate(items: BulkTransactionInput[]): Promise<{ count: number; ids: string[] }> {
    if (items.length < 1 || items.length > MAX_BULK) {
      throw new CommonError('VALIDATION_FAILED', `Send 1–${MAX_BULK} transactions`);
    }
    await this.checkReferences(items);
    const ids = await this.ids.reserveGlobalIds(items.length);
    const docs = await this.prepare(items, 'manual', ids, true);
    await this.transactions.addMany(docs);
    await this.writes?.economyChanged('transaction');
    await this.audit.record({
      action: AuditAction.TransactionsBulkCreated,
      targetType: 'transaction',
      targetId: `${ids[0]}..${ids[ids.length - 1]}`,
      metadata: { count: ids.length, firstId: ids[0], lastId: ids[ids.length - 1] },
    });
    return { count: ids.length, ids };
  }

  async update(id: string, patch: TransactionPatch): Promise<TransactionView> {
    const current = await this.require(id);
    if (current.bankLineId) {
      const locked = BANK_LOCKED.filter((f) => patch[f] !== undefined && patch[f] !== current[f]);
      if (locked.length) {
        throw new EconomyError('LINKED_TO_BANK_LINE', undefined, {
          bankLineId: current.bankLineId,
          fields: locked,
        });
      }
    }
    const type = patch.type ?? current.type;
    const categoryId = patch.categoryId !== undefined ? patch.categoryId : current.categoryId;
    if (categoryId && (patch.categoryId !== undefined || patch.type !== undefined)) {
      await this.categories.requireReference(categoryId, type, 'categoryId');
    }
    if (patch.supplierId) await this.suppliers.requireReference(patch.supplierId, 'supplierId');
    const result = await this.transactions.changeTransaction(id, {
      date: patch.date,
      period: patch.date !== undefined ? periodOf(patch.date) : undefined,
      amount: patch.amount,
      type: patch.type,
      currency: patch.currency,
      description: patch.description,
      supplierId: patch.supplierId,
      categoryId: patch.categoryId,
      note: patch.note,
      tags: patch.tags !== undefined ? tags(patch.tags) : undefined,
      textKey:
        patch.description !== undefined || patch.note !== undefined
          ? textKey(
              patch.description ?? current.description,
              patch.note !== undefined ? patch.note : current.note,
            )
          : undefined,
    });
    if (!result) throw notFound(ECONOMY_RECORD_TYPES.transaction);
    await this.writes?.economyChanged('transaction');
    await this.audit.record({
      action: AuditAction.TransactionUpdated,
      targetType: 'transaction',
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
    });
    return transactionView(result.after);
  }

  /** To the trash (soft delete; answers the undo payload); refused while a bank line is matched with it (undo the match first). */
  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    if (current.bankLineId)
      throw new EconomyError('LINKED_TO_BANK_LINE', undefined, { bankLineId: current.bankLineId });
    const undo = await this.trash.delete(ECONOMY_RECORD_TYPES.transaction, id);
    await this.writes?.economyChanged('transaction');
    await this.audit.record({
      action: AuditAction.TransactionDeleted,
      targetType: 'transaction',
      targetId: id,
      changes: diffFields(current, {}, ['date', 'amount', 'type', 'description']),
    });
    return undo;
  }

  // ---- TransactionsForReports (reports module) ----

  async reportTotals(
    key: 'period' | 'categoryId' | 'supplierId',
    filter: ReportTransactionFilter,
  ): Promise<{ key: string | null; type: 'income' | 'expense'; total: number; count: number }[]> {
    const rows = await this.transactions.totals(key, filter);
    return rows.map((r) => ({
      key: r._id.key ?? null,
      type: r._id.type === 'income' ? 'income' : 'expense',
      total: r.total,
      count: r.count,
    }));
  }

  async reportPage(
    filter: ReportTransactionFilter,
    page: { cursor?: string; limit: number },
  ): Promise<{ items: TransactionForReport[]; nextCursor: string | null }> {
    const result = await this.transactions.list(
      {
        dateFrom: filter.dateFrom,
        dateTo: filter.dateTo,
        currency: filter.currency,
        categoryIds: filter.categoryIds,
      },
      { field: 'date', direction: 1 },
      page,
    );
    return {
      items: result.items.map((t) => ({
        id: t._id,
        date: t.date,
        amount: t.amount,
        type: t.type,
        currency: t.currency,
        description: t.description,
        supplierId: t.supplierId,
        categoryId: t.categoryId,
      })),
      nextCursor: result.nextCursor,
    };
  }

  // ---- TransactionsForCategorization (AI module) ----

  async categorizedForTraining(limit: number): Promise<TransactionForCategorization[]> {
    return (await this.transactions.categorizedRecent(limit)).map(forCategorization);
  }

  async forCategorization(ids: string[]): Promise<TransactionForCategorization[]> {
    if (!ids.length) return [];
    return (await this.transactions.byIds(ids.slice(0, MAX_BULK))).map(forCategorization);
  }

  async applyCategories(
    assignments: { id: string; categoryId: string }[],
    metadata: Record<string, unknown>,
  ): Promise<string[]> {
    const byCategory = new Map<string, string[]>();
    for (const a of assignments)
      byCategory.set(a.categoryId, [...(byCategory.get(a.categoryId) ?? []), a.id]);
    // a transaction a person categorized meanwhile is left alone (and then still listed here: the count says so)
    const modified = await this.transactions.categorizeUncategorized(assignments);
    const changed = modified > 0 ? assignments.map((a) => a.id) : [];
    if (!changed.length) return [];
    await this.audit.record({
      action: AuditAction.TransactionsAutoCategorized,
      targetType: 'transaction',
      targetId: changed.length === 1 ? changed[0] : `${changed[0]}..${changed[changed.length - 1]}`,
      metadata: {
        ...metadata,
        count: modified,
        categories: Object.fromEntries([...byCategory].map(([c, ids]) => [c, ids.slice(0, 100)])),
      },
    });
    return changed;
  }

  // ---- TransactionsForMatching (bank module) ----

  async findUnlinkedForMatching(query: {
    amountMin: number;
    amountMax: number;
    dateFrom: string;
    dateTo: string;
  }): Promise<TransactionCandidate[]> {
    const rows = await this.transactions.findUnlinked(query);
    const suppliers = await this.suppliers.byIds(rows.flatMap((t) => (t.supplierId ? [t.supplierId] : [])));
    return rows.map((t) => ({
      id: t._id,
      date: t.date,
      amount: t.amount,
      type: t.type,
      description: t.description,
      supplierId: t.supplierId,
      supplierName: t.supplierId ? (suppliers.get(t.supplierId)?.name ?? null) : null,
      categoryId: t.categoryId,
    }));
  }

  async createFromBank(input: {
    date: string;
    amount: number;
    type: 'income' | 'expense';
    description: string;
    categoryId: string;
    supplierId?: string | null;
    bankLineId: string;
  }): Promise<{ id: string }> {
    // Idempotent per bank line: a booking retried after a crash finds the transaction its first try created.
    const existing = await this.transactions.findByBankLine(input.bankLineId);
    if (existing) return { id: existing._id };
    const [doc] = await this.prepare(
      [{ ...input, supplierId: input.supplierId ?? null, currency: 'SEK' }],
      'bank',
      [await this.ids.getNextGlobalId()],
    );
    const created = await this.transactions.add({ ...doc, bankLineId: input.bankLineId });
    await this.audit.record({
      action: AuditAction.TransactionCreated,
      targetType: 'transaction',
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
      metadata: { source: 'bank', bankLineId: input.bankLineId },
    });
    return { id: created._id };
  }

  /**
   * Links a transaction to a bank line (it must not be linked to another one: → LINKED_TO_BANK_LINE), or with
   * null unlinks it. Missing → NOT_FOUND.
   */
  async linkBankLine(id: string, bankLineId: string | null): Promise<void> {
    const current = await this.require(id);
    if (current.bankLineId === bankLineId) return;
    const result = bankLineId
      ? await this.transactions.linkBankLine(id, bankLineId)
      : await this.transactions.unlinkBankLine(id);
    if (!result) {
      const now = await this.transactions.findById(id);
      if (!now) throw notFound(ECONOMY_RECORD_TYPES.transaction);
      throw new EconomyError('LINKED_TO_BANK_LINE', undefined, { bankLineId: now.bankLineId });
    }
    await this.audit.record({
      action: AuditAction.TransactionBankLinked,
      targetType: 'transaction',
      targetId: id,
      changes: diffFields(result.before, result.after, ['bankLineId']),
    });
  }

  // ---- helpers ----

  private async require(id: string): Promise<TransactionDoc> {
    const transaction = await this.transactions.findById(id);
    if (!transaction) throw notFound(ECONOMY_RECORD_TYPES.transaction);
    return transaction;
  }

  /** Bulk: all reference problems at once, with the item index. */
  private async checkReferences(items: TransactionInput[]): Promise<void> {
    const [categories, suppliers] = await Promise.all([
      this.categories.liveMap(),
      this.suppliers.byIds(items.flatMap((i) => (i.supplierId ? [i.supplierId] : []))),
    ]);
    const problems: ReferenceError[] = [];
    items.forEach((item, index) => {
      if (item.supplierId && (!suppliers.has(item.supplierId) || suppliers.get(item.supplierId)?.isDeleted)) {
        problems.push({ index, field: 'supplierId', code: 'INVALID_REFERENCE' });
      }
      if (item.categoryId) {
        const category = categories.get(item.categoryId);
        if (!category) problems.push({ index, field: 'categoryId', code: 'INVALID_REFERENCE' });
        else if (category.kind !== item.type)
          problems.push({ index, field: 'categoryId', code: 'CATEGORY_KIND_MISMATCH' });
      }
    });
    if (problems.length) {
      throw new EconomyError(
        problems[0]?.code ?? 'INVALID_REFERENCE',
        `${problems.length} item(s) reference a missing record or a category of the other kind`,
        problems.slice(0, 100),
      );
    }
  }

  /**
   * Builds the stored records. Single items get their references checked here (bulk items were checked by
   * `checkReferences`); an omitted category falls back to the supplier's default when that is of the right kind.
   */
  private async prepare(
    items: BulkTransactionInput[],
    source: TransactionSource,
    ids: string[],
    checked = false,
  ) {
    const actor = this.context.actor?.userId ?? null;
    const supplierMap: Map<string, SupplierDoc> = await this.suppliers.byIds(
      items.flatMap((i) => (i.supplierId ? [i.supplierId] : [])),
    );
    const defaults = items.some((i) => i.categoryId === undefined && i.supplierId)
      ? await this.categories.liveMap()
      : null;
    return Promise.all(
      items.map(async (item, index) => {
        if (!checked) {
          if (item.supplierId) await this.suppliers.requireReference(item.supplierId, 'supplierId');
          if (item.categoryId)
            await this.categories.requireReference(item.categoryId, item.type, 'categoryId');
        }
        let categoryId = item.categoryId ?? null;
        if (item.categoryId === undefined && item.supplierId) {
          const fallback = supplierMap.get(item.supplierId)?.defaultCategoryId;
          const category: CategoryDoc | undefined = fallback ? defaults?.get(fallback) : undefined;
          if (category && category.kind === item.type) categoryId = category._id;
        }
        const note = item.note ?? null;
        return {
          _id: ids[index],
          date: item.date,
          period: periodOf(item.date),
          amount: item.amount,
          type: item.type,
          currency: item.currency ?? 'SEK',
          description: item.description,
          note,
          textKey: textKey(item.description, note),
          supplierId: item.supplierId ?? null,
          categoryId,
          tags: tags(item.tags),
          source: item.source ?? source,
          bankLineId: null,
          createdBy: actor,
        };
      }),
    );
  }
}
