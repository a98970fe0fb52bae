import { Logger } from '@nestjs/common';
import type { Collection, FilterQuery, Model, PipelineStage, UpdateQuery } from 'mongoose';
import type { RequestContext } from '../../common/context/request-context';
import { BulkWriteFailedError, duplicatesOnly, insertMany } from './bulk-writes';
import { keysetFilter, keysetOrder, toKeysetPage, type KeysetSort } from './keyset';
import { cursorFilter, NEWEST_FIRST, toPage, type Page, type PageRequest } from './pagination';
import type { SoftDeleteFields } from './plugins';
import { isFerretDb } from './server-kind';

/** Fields every user-facing record has. `_id` is the global id. */
export interface BaseDoc {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
}

export type Filter<T> = FilterQuery<T>;
/** A filter on tenant data must name its organization; `TenantRepository` fills it in from the context. */
export type TenantFilter<T> = FilterQuery<T> & { organizationId: string };

interface QueryOptions {
  withDeleted?: boolean;
}

/** What every stored record has: `_id` is its global id (or another unique key). */
export interface StoredDoc {
  _id: string;
}

type NewDoc<T> = Omit<T, 'createdAt' | 'updatedAt' | keyof SoftDeleteFields>;

/** The soft-delete fields of a record moved to the trash, and of one restored from it. */
const softDeleted = (deletedBy: string, at: Date): SoftDeleteFields => ({
  isDeleted: true,
  deletedAt: at,
  deletedBy,
});
const RESTORED: SoftDeleteFields = { isDeleted: false, deletedAt: null, deletedBy: null };

/**
 * Applies `update` to the one record `filter` matches and returns it before and after (for audit diffs); null when
 * nothing matched. Shared by the mutable repositories below.
 */
async function updateOneAndDiff<T>(
  model: Model<T>,
  filter: Filter<T>,
  update: UpdateQuery<T>,
  options: QueryOptions,
): Promise<{ before: T; after: T } | null> {
  const before = await model.findOne(filter, null, options).lean<T>().exec();
  if (!before) return null;
  const after = await model
    .findOneAndUpdate({ ...filter, _id: (before as unknown as StoredDoc)._id }, update, {
      new: true,
      ...options,
    })
    .lean<T>()
    .exec();
  return after ? { before, after } : null;
}

/**
 * The shared part of every repository: lean reads returning plain objects, inserts, newest-first cursor pages.
 * Nothing here changes a stored record — append-only records (vouchers, policy events) stop at this level.
 * Only repositories touch Mongoose; a document never leaves one.
 */
export abstract class BaseRepository<T extends StoredDoc> {
  protected constructor(protected readonly model: Model<T>) {}

  protected async findOneWhere(filter: Filter<T>, options: QueryOptions = {}): Promise<T | null> {
    return this.model.findOne(filter, null, options).lean<T>().exec();
  }

  protected async findWhere(
    filter: Filter<T>,
    options: QueryOptions & { sort?: Record<string, 1 | -1>; limit?: number } = {},
  ): Promise<T[]> {
    const query = this.model.find(filter, null, { withDeleted: options.withDeleted });
    if (options.sort) query.sort(options.sort);
    if (options.limit) query.limit(options.limit);
    return query.lean<T[]>().exec();
  }

  /** Newest first on (createdAt, _id); records without timestamps page by _id alone. */
  protected async pageWhere(
    filter: Filter<T>,
    page: PageRequest,
    options: QueryOptions = {},
  ): Promise<Page<T & { createdAt: Date }>> {
    // The filter's own fields stay at the top level (tenantScopedPlugin looks for `organizationId` there, so
    // wrapping the whole filter in `$and` made every TenantRepository.page() fail); the cursor joins its `$and`.
    const cursor = cursorFilter(page.cursor);
    const where: Filter<T> = Object.keys(cursor).length
      ? { ...filter, $and: [...(filter.$and ?? []), cursor] }
      : filter;
    const rows = await this.findWhere(where, { ...options, sort: NEWEST_FIRST, limit: page.limit + 1 });
    return toPage(rows as (T & { createdAt: Date })[], page.limit);
  }

  protected async countWhere(filter: Filter<T>, options: QueryOptions = {}): Promise<number> {
    return this.model.countDocuments(filter, options).exec();
  }

  protected async insert(doc: NewDoc<T>): Promise<T> {
    const created = await this.model.create(doc);
    return created.toObject();
  }
}

/** Records outside any organization that change (users, organizations, billing accounts): updates and soft delete. */
export abstract class MutableRepository<T extends BaseDoc> extends BaseRepository<T> {
  /** Applies `update` and returns the record before and after (for audit diffs); null when nothing matched. */
  protected updateWhere(
    filter: Filter<T>,
    update: UpdateQuery<T>,
    options: QueryOptions = {},
  ): Promise<{ before: T; after: T } | null> {
    return updateOneAndDiff(this.model, filter, update, options);
  }

  /** `at`: the Clock's now (the trash's retention runs on the Clock too). */
  protected async softDeleteWhere(filter: Filter<T>, deletedBy: string, at: Date): Promise<T | null> {
    const result = await this.updateWhere(filter, {
      $set: softDeleted(deletedBy, at),
    });
    return result?.after ?? null;
  }

  protected async restoreWhere(filter: Filter<T>): Promise<T | null> {
    const result = await this.updateWhere({ ...filter, isDeleted: true }, { $set: RESTORED });
    return result?.after ?? null;
  }
}

/**
 * Every reason a system job may read tenant data across organizations. A new cross-tenant read adds its reason
 * here, where a reviewer sees all of them.
 */
export enum CrossTenantReason {
  /** The trash's retention job finds items due for purge; each is then purged inside its own organization. */
  TrashRetention = 'trash retention: items due for purge',
  /** The daily reminder scan finds the records due for a check; each is checked inside its own organization. */
  ReminderSchedule = 'reminder schedule: records due for a check',
  /** Report files past their expiry; each organization's are then expired inside it (reports.jobs.ts). */
  ReportsRetention = 'report retention: files due to expire',
  /** The monthly report mail: organizations with a subscriber; each is then served inside it. */
  ReportsMonthlyMail = 'monthly report mail: organizations with subscribers',
  /** Export and import archives past their 7 days; each organization's are then removed inside it. */
  PortabilityRetention = 'portability retention: archives due to expire',
}

const crossTenantLog = new Logger('CrossTenantRead');

/**
 * Tenant data that is only ever added to (vouchers, policy events): every filter and insert carries the
 * organization of the current request context; no method changes or removes a stored record.
 */
export abstract class AppendOnlyTenantRepository<
  T extends StoredDoc & { organizationId: string },
> extends BaseRepository<T> {
  protected constructor(
    model: Model<T>,
    protected readonly context: RequestContext,
  ) {
    super(model);
  }

  protected get organizationId(): string {
    return this.context.requireTenant().organizationId;
  }

  /** The only way to build a filter here: adds the context's organization (throws when there is none). */
  protected scope(filter: Filter<T> = {}): TenantFilter<T> {
    return { ...filter, organizationId: this.organizationId };
  }

  /**
   * The one way to read across organizations, for system jobs only: named by a `CrossTenantReason` and logged
   * (reason, collection, rows), it goes to the driver's collection because `tenantScopedPlugin` (rightly) refuses
   * every Mongoose query without one organization. Return ids and organizations, then act inside each
   * organization's own context through the scoped paths.
   */
  protected async acrossTenants<R extends unknown[]>(
    reason: CrossTenantReason,
    read: (collection: Collection) => Promise<R>,
  ): Promise<R> {
    const rows = await read(this.model.collection);
    crossTenantLog.log({ reason, collection: this.model.collection.collectionName, rows: rows.length });
    return rows;
  }

  findById(id: string, options: QueryOptions = {}): Promise<T | null> {
    return this.findOneWhere(this.scope({ _id: id }), options);
  }

  find(filter: Filter<T>, options: QueryOptions & { sort?: Record<string, 1 | -1>; limit?: number } = {}) {
    return this.findWhere(this.scope(filter), options);
  }

  count(filter: Filter<T> = {}, options: QueryOptions = {}): Promise<number> {
    return this.countWhere(this.scope(filter), options);
  }

  create(doc: Omit<NewDoc<T>, 'organizationId'>): Promise<T> {
    return this.insert({ ...doc, organizationId: this.organizationId } as NewDoc<T>);
  }
}

/** Tenant data that changes: scoped reads, inserts and updates (bank lines, imports, policies, uploads, trash). */
export abstract class TenantRepository<
  T extends BaseDoc & { organizationId: string },
> extends AppendOnlyTenantRepository<T> {
  page(filter: Filter<T>, page: PageRequest, options: QueryOptions = {}): Promise<Page<T>> {
    return this.pageWhere(this.scope(filter), page, options);
  }

  /** Applies `update` to the organization's record and returns it before and after; null when nothing matched. */
  protected updateWhere(
    filter: Filter<T>,
    update: UpdateQuery<T>,
    options: QueryOptions = {},
  ): Promise<{ before: T; after: T } | null> {
    return updateOneAndDiff(this.model, this.scope(filter), update, options);
  }

  updateById(id: string, update: UpdateQuery<T>): Promise<{ before: T; after: T } | null> {
    return this.updateWhere({ _id: id }, update);
  }

  /** Sets the fields of `change` that are defined (undefined: unchanged; null clears) on the organization's record. */
  protected setFields(id: string, change: Partial<T>): Promise<{ before: T; after: T } | null> {
    const set: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(change)) if (value !== undefined) set[field] = value;
    return this.updateById(id, { $set: set });
  }
}

/** A tenant record with soft delete: what `SoftDeleteTenantRepository` stores. */
export type TenantRecord = BaseDoc & SoftDeleteFields & { organizationId: string };

/** A new record as a repository inserts it: the organization, timestamps and soft-delete fields are filled in. */
export type NewRecord<T extends TenantRecord> = Omit<
  T,
  'organizationId' | 'createdAt' | 'updatedAt' | keyof SoftDeleteFields
>;

/** The grouping key of a `$group` result, with fields missing on the server's side read as null. */
export type GroupKey<K extends string> = Record<K, string | null>;
export type GroupRow<K extends string, A extends string> = { _id: GroupKey<K> } & Record<A, number>;

// FerretDB v1.24 computes only the first accumulator of a `$group` stage; every further one comes back as 0 (seen
// on the SQLite backend: `{$group: {_id: '$p', total: {$sum: '$amount'}, n: {$sum: 1}}}` → `n: 0`). There
// `groupSums` runs one pipeline per accumulator; MongoDB gets the single pipeline.

/**
 * Tenant records people delete and restore through the trash (categories, suppliers, transactions, bills, uploads,
 * bank accounts): soft delete, restore, purge, plus bulk inserts, multi-record updates, keyset pages and `$sum`
 * groupings — all scoped to the context's organization.
 */
export abstract class SoftDeleteTenantRepository<T extends TenantRecord> extends TenantRepository<T> {
  async softDeleteById(id: string, at: Date): Promise<T | null> {
    const filter = this.scope({ _id: id }); // outside a tenant context this throws before the actor check
    const deletedBy = this.context.requireActor().userId;
    const result = await updateOneAndDiff(this.model, filter, { $set: softDeleted(deletedBy, at) }, {});
    return result?.after ?? null;
  }

  async restoreById(id: string): Promise<T | null> {
    const result = await this.updateWhere(
      { _id: id, isDeleted: true },
      {
        $set: RESTORED,
      },
    );
    return result?.after ?? null;
  }

  /** Inserts one record (soft-delete fields from the schema defaults). */
  add(doc: NewRecord<T>): Promise<T> {
    return this.create(doc as Omit<NewDoc<T>, 'organizationId'>);
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

  /**
   * What the schema finds wrong with a document about to be imported (casts, required fields, enums), as
   * `path: kind`; empty when fine. Nothing is written (docs/portability.md: checked in the dry run).
   */
  invalidFields(doc: object): string[] {
    const error = new this.model({ ...doc, organizationId: this.organizationId }).validateSync();
    return error ? Object.entries(error.errors).map(([path, e]) => `${path}: ${e.kind}`) : [];
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
