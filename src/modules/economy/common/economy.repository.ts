import type { Model, PipelineStage, UpdateQuery } from 'mongoose';
import type { RequestContext } from '../../../common/context/request-context';
import { BulkWriteFailedError, duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import { isFerretDb } from '../../../infrastructure/mongo/server-kind';
import type { SoftDeleteFields } from '../../../infrastructure/mongo/plugins';
import { TenantRepository, type BaseDoc, type Filter } from '../../../infrastructure/mongo/repositories';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { keysetFilter, keysetOrder, toKeysetPage, type KeysetSort } from './keyset';

export type EconomyDoc = BaseDoc & SoftDeleteFields & { organizationId: string };

/** A new record as a repository inserts it: the organization, timestamps and soft-delete fields are filled in. */
export type NewRecord<T extends EconomyDoc> = Omit<
  T,
  'organizationId' | 'createdAt' | 'updatedAt' | keyof SoftDeleteFields
>;

/** The grouping key of a `$group` result, with fields missing on the server's side read as null. */
export type GroupKey<K extends string> = Record<K, string | null>;
export type GroupRow<K extends string, A extends string> = { _id: GroupKey<K> } & Record<A, number>;

// FerretDB v1.24 computes only the first accumulator of a `$group` stage; every further one comes back as 0 (seen
// on the SQLite backend: `{$group: {_id: '$p', total: {$sum: '$amount'}, n: {$sum: 1}}}` → `n: 0`). There
// `groupSums` runs one pipeline per accumulator; MongoDB gets the single pipeline.

/** Tenant repository plus the bulk operations the economy module needs (all scoped to the context's organization). */
export abstract class EconomyRepository<T extends EconomyDoc> extends TenantRepository<T> {
  protected constructor(model: Model<T>, context: RequestContext) {
    super(model, context);
  }

  protected get organizationId(): string {
    return this.context.requireTenant().organizationId;
  }

  /** Inserts one record (soft-delete fields from the schema defaults). */
  add(doc: NewRecord<T>): Promise<T> {
    return this.create(doc);
  }

  /**
   * Inserts many records in one round trip (`lean`: the service validated them; ids were reserved in one block).
   * `tolerateDuplicates`: unordered, and duplicate-key failures are ignored (idempotent seeding).
   */
  async addMany(docs: NewRecord<T>[], options: { tolerateDuplicates?: boolean } = {}): Promise<void> {
    if (!docs.length) return;
    const organizationId = this.organizationId;
    const now = new Date();
    const full = docs.map((d) => ({
      ...d,
      organizationId,
      createdAt: now,
      updatedAt: now,
      isDeleted: false,
      deletedAt: null,
      deletedBy: null,
    }));
    const outcome = await insertMany(this.model, full, { ordered: !options.tolerateDuplicates, lean: true });
    const duplicates = duplicatesOnly(outcome);
    if (duplicates.length && !options.tolerateDuplicates) throw new BulkWriteFailedError(outcome.failures);
  }

  /** Removes a soft-deleted record for good (the trash's purge); a live record is never touched. Idempotent. */
  async purgeDeleted(id: string): Promise<void> {
    await this.model.deleteOne(this.scope({ _id: id, isDeleted: true })).exec();
  }

  /** Updates every matching record of the organization; returns how many matched. */
  async updateMany(
    filter: Filter<T>,
    update: UpdateQuery<T>,
    options: { withDeleted?: boolean } = {},
  ): Promise<number> {
    const result = await this.model
      // `withDeleted` is read by softDeletePlugin's hook (a custom query option)
      .updateMany(this.scope(filter), update, { withDeleted: options.withDeleted } as Record<string, unknown>)
      .exec();
    return result.matchedCount;
  }

  /** One page in `(sort.field, _id)` order after `cursor`. */
  async pageSorted(
    filter: Filter<T>,
    sort: KeysetSort<keyof T & string>,
    page: { cursor?: string; limit: number },
  ): Promise<Page<T>> {
    const seek = keysetFilter(sort, page.cursor);
    const where: Filter<T> = Object.keys(seek).length
      ? { ...filter, $and: [...(filter.$and ?? []), seek] }
      : filter;
    const rows = await this.find(where, { sort: keysetOrder(sort), limit: page.limit + 1 });
    return toKeysetPage(rows, page.limit, sort, (row) => row[sort.field] as string | number);
  }

  /**
   * An aggregation over the organization's live records: the first stage is always the scoped `$match` (the tenant
   * plugin checks it). Only stages FerretDB v1 supports may follow.
   */
  protected aggregateScoped<R>(match: Filter<T>, stages: PipelineStage[]): Promise<R[]> {
    const first: PipelineStage.Match = {
      $match: { ...match, organizationId: this.organizationId, isDeleted: false },
    };
    return this.model.aggregate<R>([first, ...stages]).exec();
  }

  /**
   * `$match` (scoped, live records) then `$group` by the fields `by` (`{period: '$period', type: '$type'}`) with
   * `$sum` accumulators (`{total: '$amount', count: 1}`). Correct on FerretDB (see `isFerretDb`), one pass on MongoDB.
   */
  protected async groupSums<K extends string, A extends string>(
    match: Filter<T>,
    by: Record<K, string>,
    sums: Record<A, string | number>,
  ): Promise<GroupRow<K, A>[]> {
    const keys = Object.keys(by) as K[];
    const names = Object.keys(sums) as A[];
    const group = (only: A[]): PipelineStage[] => [
      { $group: { _id: by, ...Object.fromEntries(only.map((a) => [a, { $sum: sums[a] }])) } },
    ];
    const passes = (await isFerretDb(this.model.db)) ? names.map((a) => [a]) : [names];
    const results = await Promise.all(
      passes.map((only) => this.aggregateScoped<{ _id: Record<string, unknown> }>(match, group(only))),
    );
    const merged = new Map<string, GroupRow<K, A>>();
    results.forEach((rows, pass) => {
      for (const row of rows) {
        const id = Object.fromEntries(
          keys.map((k) => [k, (row._id?.[k] as string | null | undefined) ?? null]),
        ) as GroupKey<K>;
        const key = JSON.stringify(keys.map((k) => id[k]));
        const target =
          merged.get(key) ?? ({ _id: id, ...Object.fromEntries(names.map((a) => [a, 0])) } as GroupRow<K, A>);
        for (const a of passes[pass])
          (target as Record<A, number>)[a] = Number((row as Record<string, unknown>)[a] ?? 0);
        merged.set(key, target);
      }
    });
    return [...merged.values()];
  }
}
