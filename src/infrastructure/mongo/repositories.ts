import { Logger } from '@nestjs/common';
import type { Collection, FilterQuery, Model, UpdateQuery } from 'mongoose';
import type { RequestContext } from '../../common/context/request-context';
import { cursorFilter, NEWEST_FIRST, toPage, type Page, type PageRequest } from './pagination';
import type { SoftDeleteFields } from './plugins';

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

/**
 * The shared part of every repository: lean reads returning plain objects, soft delete, newest-first cursor pages.
 * Only repositories touch Mongoose; a document never leaves one.
 */
export abstract class BaseRepository<T extends BaseDoc> {
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

  protected async pageWhere(
    filter: Filter<T>,
    page: PageRequest,
    options: QueryOptions = {},
  ): Promise<Page<T>> {
    // The filter's own fields stay at the top level (tenantScopedPlugin looks for `organizationId` there, so
    // wrapping the whole filter in `$and` made every TenantRepository.page() fail); the cursor joins its `$and`.
    const cursor = cursorFilter(page.cursor);
    const where: Filter<T> = Object.keys(cursor).length
      ? { ...filter, $and: [...(filter.$and ?? []), cursor] }
      : filter;
    const rows = await this.findWhere(where, { ...options, sort: NEWEST_FIRST, limit: page.limit + 1 });
    return toPage(rows, page.limit);
  }

  protected async countWhere(filter: Filter<T>, options: QueryOptions = {}): Promise<number> {
    return this.model.countDocuments(filter, options).exec();
  }

  protected async insert(doc: Omit<T, 'createdAt' | 'updatedAt' | keyof SoftDeleteFields>): Promise<T> {
    const created = await this.model.create(doc);
    return created.toObject();
  }

  /** Applies `update` and returns the record before and after (for audit diffs); null when nothing matched. */
  protected async updateWhere(
    filter: Filter<T>,
    update: UpdateQuery<T>,
    options: QueryOptions = {},
  ): Promise<{ before: T; after: T } | null> {
    const before = await this.findOneWhere(filter, options);
    if (!before) return null;
    const after = await this.model
      .findOneAndUpdate({ ...filter, _id: before._id }, update, { new: true, ...options })
      .lean<T>()
      .exec();
    return after ? { before, after } : null;
  }

  /** `at`: the Clock's now (the trash's retention runs on the Clock too). */
  protected async softDeleteWhere(filter: Filter<T>, deletedBy: string, at: Date): Promise<T | null> {
    const result = await this.updateWhere(filter, {
      $set: { isDeleted: true, deletedAt: at, deletedBy } satisfies SoftDeleteFields,
    });
    return result?.after ?? null;
  }

  protected async restoreWhere(filter: Filter<T>): Promise<T | null> {
    const result = await this.updateWhere(
      { ...filter, isDeleted: true },
      { $set: { isDeleted: false, deletedAt: null, deletedBy: null } satisfies SoftDeleteFields },
    );
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
}

const crossTenantLog = new Logger('CrossTenantRead');

/** Tenant data: every filter and insert carries the organization of the current request context. */
export abstract class TenantRepository<
  T extends BaseDoc & { organizationId: string },
> extends BaseRepository<T> {
  protected constructor(
    model: Model<T>,
    protected readonly context: RequestContext,
  ) {
    super(model);
  }

  /** The only way to build a filter here: adds the context's organization (throws when there is none). */
  protected scope(filter: Filter<T> = {}): TenantFilter<T> {
    return { ...filter, organizationId: this.context.requireTenant().organizationId };
  }

  findById(id: string, options: QueryOptions = {}): Promise<T | null> {
    return this.findOneWhere(this.scope({ _id: id }), options);
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

  find(filter: Filter<T>, options: QueryOptions & { sort?: Record<string, 1 | -1>; limit?: number } = {}) {
    return this.findWhere(this.scope(filter), options);
  }

  page(filter: Filter<T>, page: PageRequest, options: QueryOptions = {}): Promise<Page<T>> {
    return this.pageWhere(this.scope(filter), page, options);
  }

  count(filter: Filter<T> = {}, options: QueryOptions = {}): Promise<number> {
    return this.countWhere(this.scope(filter), options);
  }

  create(doc: Omit<T, 'organizationId' | 'createdAt' | 'updatedAt' | keyof SoftDeleteFields>): Promise<T> {
    return this.insert({ ...doc, organizationId: this.context.requireTenant().organizationId } as Omit<
      T,
      'createdAt' | 'updatedAt' | keyof SoftDeleteFields
    >);
  }

  updateById(id: string, update: UpdateQuery<T>): Promise<{ before: T; after: T } | null> {
    return this.updateWhere(this.scope({ _id: id }), update);
  }

  softDeleteById(id: string, at: Date): Promise<T | null> {
    return this.softDeleteWhere(this.scope({ _id: id }), this.context.requireActor().userId, at);
  }

  restoreById(id: string): Promise<T | null> {
    return this.restoreWhere(this.scope({ _id: id }));
  }
}
