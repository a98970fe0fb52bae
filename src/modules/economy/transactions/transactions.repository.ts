import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { bulkWrite } from '../../../infrastructure/mongo/bulk-writes';
import { RequestContext } from '../../../common/context/request-context';
import type { Page } from '../../../infrastructure/mongo/pagination';
import type { Filter } from '../../../infrastructure/mongo/repositories';
import { SoftDeleteTenantRepository, type GroupRow } from '../../../infrastructure/mongo/repositories';
import { periodOf } from '../common/dates';
import type { KeysetSort } from '../../../infrastructure/mongo/keyset';
import { escapeRegex } from '../common/text';
import { TransactionEntity, type TransactionDoc } from './transactions.schema';

export interface TransactionListFilter {
  dateFrom?: string;
  dateTo?: string;
  type?: 'income' | 'expense';
  /** Already expanded to the category and its descendants. */
  categoryIds?: string[];
  supplierId?: string;
  tag?: string;
  /** Normalized lower-case; matched anywhere in description or note. */
  text?: string;
  amountMin?: number;
  amountMax?: number;
  currency?: string;
}

export type TransactionSortField = 'date' | 'amount';

export type StatsKey = 'period' | 'categoryId' | 'supplierId';

/**
 * `{period}` when a date range lies inside one calendar month (the dashboard's month, a month picked in the list),
 * else nothing. FerretDB v1 pushes no range and no sort down to its backend: on PostgreSQL only top-level equalities
 * run in SQL, so without this every live transaction of the organization is decoded and filtered in FerretDB
 * (100 000 rows over ten organizations: ~2 s a page); with it, one month's rows (~13× faster, bench
 * transactions-scale). Redundant for MongoDB, which reads the same `{organizationId, date, _id}` index range and
 * checks `period` on rows that all match it. The SQLite backend scans either way.
 */
function samePeriod(dateFrom: string | undefined, dateTo: string | undefined): { period?: string } {
  if (!dateFrom || !dateTo) return {};
  const period = periodOf(dateFrom);
  return period === periodOf(dateTo) ? { period } : {};
}

@Injectable()
export class TransactionsRepository extends SoftDeleteTenantRepository<TransactionDoc> {
  constructor(@InjectModel(TransactionEntity.name) model: Model<TransactionDoc>, context: RequestContext) {
    super(model, context);
  }

  static where(filter: TransactionListFilter): Filter<TransactionDoc> {
    const where: Filter<TransactionDoc> = {};
    if (filter.dateFrom || filter.dateTo) {
      where.date = {
        ...(filter.dateFrom ? { $gte: filter.dateFrom } : {}),
        ...(filter.dateTo ? { $lte: filter.dateTo } : {}),
      };
      Object.assign(where, samePeriod(filter.dateFrom, filter.dateTo));
    }
    if (filter.amountMin !== undefined || filter.amountMax !== undefined) {
      where.amount = {
        ...(filter.amountMin !== undefined ? { $gte: filter.amountMin } : {}),
        ...(filter.amountMax !== undefined ? { $lte: filter.amountMax } : {}),
      };
    }
    if (filter.type) where.type = filter.type;
    if (filter.categoryIds)
      where.categoryId =
        filter.categoryIds.length === 1 ? filter.categoryIds[0] : { $in: filter.categoryIds };
    if (filter.supplierId) where.supplierId = filter.supplierId;
    if (filter.tag) where.tags = filter.tag;
    if (filter.text) where.textKey = { $regex: escapeRegex(filter.text) };
    if (filter.currency) where.currency = filter.currency;
    return where;
  }

  list(
    filter: TransactionListFilter,
    sort: KeysetSort<TransactionSortField>,
    page: { cursor?: string; limit: number },
  ): Promise<Page<TransactionDoc>> {
    return this.pageSorted(TransactionsRepository.where(filter), sort, page);
  }

  findUnlinked(q: {
    amountMin: number;
    amountMax: number;
    dateFrom: string;
    dateTo: string;
  }): Promise<TransactionDoc[]> {
    return this.find(
      {
        bankLineId: null,
        amount: { $gte: q.amountMin, $lte: q.amountMax },
        date: { $gte: q.dateFrom, $lte: q.dateTo },
      },
      { sort: { date: 1, _id: 1 } },
    );
  }

  /** Links an unlinked transaction to a bank line; null when missing or already linked. */
  linkBankLine(id: string, bankLineId: string) {
    return this.updateWhere(this.scope({ _id: id, bankLineId: null }), { $set: { bankLineId } });
  }

  /** The transaction already linked to a bank line (retry of a booking), if any. */
  async findByBankLine(bankLineId: string): Promise<TransactionDoc | null> {
    const [found] = await this.find({ bankLineId }, { limit: 1 });
    return found ?? null;
  }

  unlinkBankLine(id: string) {
    return this.updateWhere(this.scope({ _id: id }), { $set: { bankLineId: null } });
  }

  /** The newest categorized live transactions (AI categorization's training set). */
  categorizedRecent(limit: number): Promise<TransactionDoc[]> {
    return this.find({ categoryId: { $ne: null } }, { sort: { date: -1, _id: -1 }, limit });
  }

  /** Live transactions among `ids`. */
  byIds(ids: string[]): Promise<TransactionDoc[]> {
    return this.find(ids.length === 1 ? { _id: ids[0] } : { _id: { $in: ids } });
  }

  /**
   * Sets each transaction's `categoryId` where it has none (one `_id` statement each, through bulk-writes: an `$in`
   * update would scan the organization's transactions once per category on FerretDB); answers how many changed.
   */
  async categorizeUncategorized(assignments: { id: string; categoryId: string }[]): Promise<number> {
    if (!assignments.length) return 0;
    const organizationId = this.context.requireTenant().organizationId;
    const ops: AnyBulkWriteOperation<TransactionDoc>[] = assignments.map((a) => ({
      updateOne: {
        filter: { organizationId, _id: a.id, categoryId: null, isDeleted: false },
        update: { $set: { categoryId: a.categoryId } },
      },
    }));
    const outcome = await bulkWrite(this.model, ops, { ordered: false });
    return outcome.modified;
  }

  countByCategory(categoryId: string): Promise<number> {
    return this.count({ categoryId });
  }

  /** Transactions in category `from` move to `to` (deleted ones too: a restore lands on a live category). */
  recategorize(from: string, to: string): Promise<number> {
    return this.updateMany({ categoryId: from }, { $set: { categoryId: to } }, { withDeleted: true });
  }

  /** Changes a transaction's fields (the service validated them); null when it is gone. */
  changeTransaction(id: string, change: TransactionChange) {
    return this.setFields(id, change);
  }

  /**
   * Sum and count of live transactions per `key` and type, in a date range and one currency (and, for reports, only
   * the categories `categoryIds` when given; an empty list matches nothing).
   */
  totals(
    key: StatsKey,
    q: { dateFrom: string; dateTo: string; currency: string; categoryIds?: string[] },
  ): Promise<GroupRow<'key' | 'type', 'total' | 'count'>[]> {
    return this.groupSums(
      {
        date: { $gte: q.dateFrom, $lte: q.dateTo },
        currency: q.currency,
        ...samePeriod(q.dateFrom, q.dateTo),
        ...(q.categoryIds ? { categoryId: { $in: q.categoryIds } } : {}),
      },
      { key: `$${key}`, type: '$type' },
      { total: '$amount', count: 1 },
    );
  }
}

/** What a transaction update may change (undefined: unchanged). */
export type TransactionChange = Partial<
  Pick<
    TransactionDoc,
    | 'date'
    | 'period'
    | 'amount'
    | 'type'
    | 'currency'
    | 'description'
    | 'supplierId'
    | 'categoryId'
    | 'note'
    | 'tags'
    | 'textKey'
  >
>;
