import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, FilterQuery, Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { CommonError } from '../../../common/errors/domain-error';
import { bulkWrite, duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { TenantRepository } from '../../../infrastructure/mongo/repositories';
import { escapeRegex } from '../../../infrastructure/mongo/regex';
import { OPEN_LINE_STATUSES } from './line-status';
import { BankLineEntity, type BankLineDoc, type LineStatus, type StoredSuggestion } from './lines.schema';

/**
 * Bank lines. Reads are lean; every query goes through `scope()` (the request's or job's organization).
 *
 * FerretDB v1 notes: SQLite pushes down only `_id` equality, so the indexed queries here scan there — fine for tests
 * and small data; on MongoDB each is served by the index named in lines.schema.ts.
 */

export interface LineListFilter {
  status?: LineStatus;
  bankAccountId?: string;
  importId?: string;
  from?: string;
  to?: string;
  amountMin?: number;
  amountMax?: number;
  q?: string;
}

export interface LineCursor {
  d: string;
  id: string;
}

export type NewBankLine = Omit<BankLineDoc, 'organizationId' | 'createdAt' | 'updatedAt'>;

export { OPEN_LINE_STATUSES };
const OPEN = [...OPEN_LINE_STATUSES];

@Injectable()
export class BankLinesRepository extends TenantRepository<BankLineDoc> {
  constructor(@InjectModel(BankLineEntity.name) model: Model<BankLineDoc>, context: RequestContext) {
    super(model, context);
  }

  /**
   * Inserts a batch, unordered: lines whose dedupKey exists already fail with 11000 and are returned as duplicates
   * (index into `lines`); everything else is inserted.
   */
  async insertBatch(lines: NewBankLine[]): Promise<{ inserted: number; duplicates: number[] }> {
    if (!lines.length) return { inserted: 0, duplicates: [] };
    const organizationId = this.context.requireTenant().organizationId;
    const outcome = await insertMany(
      this.model,
      lines.map((l) => ({ ...l, organizationId })),
      { ordered: false },
    );
    return { inserted: outcome.inserted, duplicates: duplicatesOnly(outcome) };
  }

  /** Existing lines by dedupKey (which import created them). */
  async byDedupKeys(keys: string[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const rows = await this.model
      .find(this.scope({ dedupKey: { $in: keys } }), { dedupKey: 1, importId: 1 })
      .lean<{ dedupKey: string; importId: string }[]>()
      .exec();
    return new Map(rows.map((r) => [r.dedupKey, r.importId]));
  }

  /** Newest booking date first, keyset on (bookingDate, _id). */
  async list(filter: LineListFilter, cursor: LineCursor | null, limit: number): Promise<Page<BankLineDoc>> {
    const where: FilterQuery<BankLineDoc> = {};
    if (filter.status) where.status = filter.status;
    if (filter.bankAccountId) where.bankAccountId = filter.bankAccountId;
    if (filter.importId) where.importId = filter.importId;
    if (filter.from || filter.to)
      where.bookingDate = {
        ...(filter.from ? { $gte: filter.from } : {}),
        ...(filter.to ? { $lte: filter.to } : {}),
      };
    if (filter.amountMin !== undefined || filter.amountMax !== undefined) {
      where.amount = {
        ...(filter.amountMin !== undefined ? { $gte: filter.amountMin } : {}),
        ...(filter.amountMax !== undefined ? { $lte: filter.amountMax } : {}),
      };
    }
    if (filter.q) where.searchText = { $regex: escapeRegex(filter.q.toLowerCase()) };
    if (cursor)
      where.$or = [{ bookingDate: { $lt: cursor.d } }, { bookingDate: cursor.d, _id: { $lt: cursor.id } }];
    const rows = await this.find(where, { sort: { bookingDate: -1, _id: -1 }, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(JSON.stringify({ d: last.bookingDate, id: last._id })).toString('base64url')
          : null,
    };
  }

  static parseCursor(cursor: string | undefined): LineCursor | null {
    if (!cursor) return null;
    try {
      const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as LineCursor;
      if (typeof value?.d === 'string' && typeof value?.id === 'string') return value;
    } catch {
      // fall through
    }
    throw new CommonError('VALIDATION_FAILED', 'cursor is not valid');
  }

  /** Open lines of an import, or (no importId) of the whole organization after `afterId`, by id. */
  openLines(options: { importId?: string; afterId?: string; limit: number }): Promise<BankLineDoc[]> {
    const where: FilterQuery<BankLineDoc> = { status: { $in: OPEN } };
    if (options.importId) where.importId = options.importId;
    if (options.afterId) where._id = { $gt: options.afterId };
    return this.find(where, { sort: { _id: 1 }, limit: options.limit });
  }

  /**
   * Stores suggestions on open lines with the matching generation they were computed at (a line matched or
   * ignored meanwhile is left alone).
   */
  async saveSuggestions(
    updates: { id: string; generation: number; suggestions: StoredSuggestion[]; status: LineStatus }[],
    at: Date,
    suggestionsGeneration: string,
  ): Promise<void> {
    if (!updates.length) return;
    const organizationId = this.context.requireTenant().organizationId;
    const ops: AnyBulkWriteOperation<BankLineDoc>[] = updates.map((u) => ({
      updateOne: {
        filter: { organizationId, _id: u.id, generation: u.generation, status: { $in: OPEN } },
        update: {
          $set: { suggestions: u.suggestions, status: u.status, suggestedAt: at, suggestionsGeneration },
        },
      },
    }));
    await bulkWrite(this.model, ops, { ordered: false });
  }

  /** Open → matched; true when this call (or an earlier try of the same match) set it. */
  async markMatched(id: string, generation: number, matchId: string, voucherId: string): Promise<boolean> {
    const result = await this.updateWhere(
      { _id: id, generation, status: { $in: OPEN } },
      {
        $set: { status: 'matched', matchId, voucherId },
      },
    );
    if (result) return true;
    const line = await this.findById(id);
    return line?.matchId === matchId;
  }

  /** matched (by this match) → unmatched, next generation. Idempotent. */
  async reopenFromMatch(id: string, matchId: string, nextGeneration: number): Promise<void> {
    await this.updateWhere(
      { _id: id, matchId, status: 'matched' },
      {
        $set: {
          status: 'unmatched',
          matchId: null,
          voucherId: null,
          generation: nextGeneration,
          suggestions: [],
          suggestedAt: null,
          suggestionsGeneration: null,
        },
      },
    );
  }

  ignore(id: string, ignored: { reason: string; by: string; at: Date }) {
    return this.updateWhere(
      { _id: id, status: { $in: OPEN } },
      {
        $set: { status: 'ignored', ignored },
      },
    );
  }

  unignore(id: string) {
    return this.updateWhere(
      { _id: id, status: 'ignored' },
      {
        $set: { status: 'unmatched', ignored: null, suggestions: [], suggestionsGeneration: null },
      },
    );
  }

  setStatus(id: string, generation: number, status: LineStatus) {
    return this.updateWhere({ _id: id, generation, status: { $in: OPEN } }, { $set: { status } });
  }
}
