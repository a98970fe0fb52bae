import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, FilterQuery, Model } from 'mongoose';
import { RequestContext } from '../../common/context/request-context';
import { CommonError } from '../../common/errors/domain-error';
import { isDuplicateKey, unlessTaken, type Taken } from '../../infrastructure/mongo/unique';
import { bulkWrite, duplicatesOnly, insertMany } from '../../infrastructure/mongo/bulk-writes';
import type { Page } from '../../infrastructure/mongo/pagination';
import {
  AppendOnlyTenantRepository,
  SoftDeleteTenantRepository,
  TenantRepository,
} from '../../infrastructure/mongo/repositories';
import { BankAccountEntity, type BankAccountDoc } from './accounts/accounts.schema';
import {
  BankImportEntity,
  BankImportFileEntity,
  CsvProfileEntity,
  type BankImportDoc,
  type BankImportFileDoc,
  type CsvProfileDoc,
} from './imports/imports.schema';
import {
  BankLineEntity,
  type BankLineDoc,
  type LineStatus,
  type StoredSuggestion,
} from './lines/lines.schema';
import { BankMatchEntity, type BankMatchDoc } from './matching/matching.schema';
import {
  BankPolicyEntity,
  PolicyEventEntity,
  type BankPolicyDoc,
  type PolicyEventDoc,
} from './policies/policies.schema';
import type { PolicyEventKind, PolicyStats } from './policies/policy.rules';
import { escapeRegex } from '../../infrastructure/mongo/regex';

/**
 * The only files of the bank module that touch Mongoose (with vouchers/vouchers.repository.ts). Reads are lean;
 * every query goes through `scope()` (the request's or job's organization).
 *
 * FerretDB v1 notes: SQLite pushes down only `_id` equality, so the indexed queries here scan there — fine for tests
 * and small data; on MongoDB each is served by the index named in the sub-feature's schema.
 */

/** Which unique index an insert collided with (FerretDB/MongoDB put the key pattern in the message). */
function duplicateField(error: unknown, fields: readonly string[]): string | null {
  if (!isDuplicateKey(error)) return null;
  const e = error as {
    keyPattern?: Record<string, unknown>;
    keyValue?: Record<string, unknown>;
    message?: string;
  };
  const keys = Object.keys(e.keyPattern ?? e.keyValue ?? {});
  for (const f of fields) if (keys.includes(f)) return f;
  for (const f of fields) if (e.message?.includes(f)) return f;
  return 'unknown';
}

// ---------- accounts ----------

@Injectable()
export class BankAccountsRepository extends SoftDeleteTenantRepository<BankAccountDoc> {
  constructor(@InjectModel(BankAccountEntity.name) model: Model<BankAccountDoc>, context: RequestContext) {
    super(model, context);
  }
}

// ---------- CSV profiles ----------

@Injectable()
export class CsvProfilesRepository extends TenantRepository<CsvProfileDoc> {
  constructor(@InjectModel(CsvProfileEntity.name) model: Model<CsvProfileDoc>, context: RequestContext) {
    super(model, context);
  }

  /** TAKEN when the name is taken. */
  add(
    doc: Omit<CsvProfileDoc, 'organizationId' | 'createdAt' | 'updatedAt'>,
  ): Promise<CsvProfileDoc | Taken> {
    return unlessTaken(() => this.create(doc));
  }

  /** TAKEN when a concurrent rename took the name between the service's check and this update. */
  change(id: string, set: Partial<CsvProfileDoc>) {
    return unlessTaken(() => this.updateById(id, { $set: set }));
  }

  findByNameKey(nameKey: string): Promise<CsvProfileDoc | null> {
    return this.findOneWhere(this.scope({ nameKey }));
  }

  list(): Promise<CsvProfileDoc[]> {
    return this.find({}, { sort: { nameKey: 1 } });
  }

  async remove(id: string): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne(this.scope({ _id: id })).exec();
    return deletedCount === 1;
  }
}

// ---------- imports ----------

@Injectable()
export class BankImportsRepository extends TenantRepository<BankImportDoc> {
  constructor(@InjectModel(BankImportEntity.name) model: Model<BankImportDoc>, context: RequestContext) {
    super(model, context);
  }

  async set(id: string, fields: Partial<BankImportDoc>): Promise<BankImportDoc | null> {
    return (await this.updateById(id, { $set: fields }))?.after ?? null;
  }
}

@Injectable()
export class BankImportFilesRepository extends TenantRepository<BankImportFileDoc> {
  constructor(
    @InjectModel(BankImportFileEntity.name) model: Model<BankImportFileDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  async put(importId: string, data: Buffer, contentType: string | null): Promise<void> {
    await this.create({ _id: importId, data, contentType });
  }

  async bytes(importId: string): Promise<Buffer | null> {
    const doc = await this.findById(importId);
    if (!doc) return null;
    const data = doc.data as unknown;
    // Lean reads give the driver's Binary; make it a Buffer either way.
    if (Buffer.isBuffer(data)) return data;
    const binary = data as { buffer?: Uint8Array; value?: () => Uint8Array };
    if (binary?.buffer instanceof Uint8Array) return Buffer.from(binary.buffer);
    if (typeof binary?.value === 'function') return Buffer.from(binary.value());
    return null;
  }
}

// ---------- lines ----------

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

/** Lines that can still be matched: `rejected` means every suggestion so far was rejected. */
export const OPEN_LINE_STATUSES: LineStatus[] = ['unmatched', 'suggested', 'rejected'];
const OPEN = OPEN_LINE_STATUSES;

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

  /** Caches suggestions on open lines (a line matched or ignored meanwhile is left alone). */
  async saveSuggestions(
    updates: { id: string; generation: number; suggestions: StoredSuggestion[]; status: LineStatus }[],
    at: Date,
  ): Promise<void> {
    if (!updates.length) return;
    const organizationId = this.context.requireTenant().organizationId;
    const ops: AnyBulkWriteOperation<BankLineDoc>[] = updates.map((u) => ({
      updateOne: {
        filter: { organizationId, _id: u.id, generation: u.generation, status: { $in: OPEN } },
        update: { $set: { suggestions: u.suggestions, status: u.status, suggestedAt: at } },
      },
    }));
    await bulkWrite(this.model, ops, { ordered: false });
  }

  /** Open → matched; true when this call (or an earlier try of the same match) set it. */
  async markMatched(id: string, generation: number, matchId: string, voucherId: string): Promise<boolean> {
    const result = await this.updateWhere(this.scope({ _id: id, generation, status: { $in: OPEN } }), {
      $set: { status: 'matched', matchId, voucherId },
    });
    if (result) return true;
    const line = await this.findById(id);
    return line?.matchId === matchId;
  }

  /** matched (by this match) → unmatched, next generation. Idempotent. */
  async reopenFromMatch(id: string, matchId: string, nextGeneration: number): Promise<void> {
    await this.updateWhere(this.scope({ _id: id, matchId, status: 'matched' }), {
      $set: {
        status: 'unmatched',
        matchId: null,
        voucherId: null,
        generation: nextGeneration,
        suggestions: [],
        suggestedAt: null,
      },
    });
  }

  ignore(id: string, ignored: { reason: string; by: string; at: Date }) {
    return this.updateWhere(this.scope({ _id: id, status: { $in: OPEN } }), {
      $set: { status: 'ignored', ignored },
    });
  }

  unignore(id: string) {
    return this.updateWhere(this.scope({ _id: id, status: 'ignored' }), {
      $set: { status: 'unmatched', ignored: null, suggestions: [] },
    });
  }

  setStatus(id: string, generation: number, status: LineStatus) {
    return this.updateWhere(this.scope({ _id: id, generation, status: { $in: OPEN } }), { $set: { status } });
  }
}

// ---------- matches ----------

export type NewMatch = Omit<BankMatchDoc, 'organizationId' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class BankMatchesRepository extends TenantRepository<BankMatchDoc> {
  constructor(@InjectModel(BankMatchEntity.name) model: Model<BankMatchDoc>, context: RequestContext) {
    super(model, context);
  }

  /** Claims the line generation and the item: `{ok}` or which unique key is taken. */
  async claim(
    match: NewMatch,
  ): Promise<{ ok: true; match: BankMatchDoc } | { ok: false; taken: 'lineKey' | 'claimKey' }> {
    try {
      return { ok: true, match: await this.create(match) };
    } catch (error) {
      const field = duplicateField(error, ['lineKey', 'claimKey']);
      if (field === null) throw error;
      if (field === 'lineKey' || field === 'claimKey') return { ok: false, taken: field };
      // Unknown message shape: find out which one exists.
      return {
        ok: false,
        taken: (await this.findOneWhere(this.scope({ lineKey: match.lineKey }))) ? 'lineKey' : 'claimKey',
      };
    }
  }

  byLineKey(lineKey: string): Promise<BankMatchDoc | null> {
    return this.findOneWhere(this.scope({ lineKey }));
  }

  byClaimKey(claimKey: string): Promise<BankMatchDoc | null> {
    return this.findOneWhere(this.scope({ claimKey }));
  }

  async set(
    id: string,
    fields: Partial<BankMatchDoc>,
    expectState?: BankMatchDoc['state'],
  ): Promise<BankMatchDoc | null> {
    const result = await this.updateWhere(
      this.scope(expectState ? { _id: id, state: expectState } : { _id: id }),
      { $set: fields },
    );
    return result?.after ?? null;
  }

  /** A pending match whose first step failed: it never touched anything, so it is removed to free its claims. */
  async dropPending(id: string): Promise<void> {
    await this.model.deleteOne(this.scope({ _id: id, state: 'pending', itemDone: false })).exec();
  }
}

// ---------- policies ----------

@Injectable()
export class BankPoliciesRepository extends TenantRepository<BankPolicyDoc> {
  constructor(@InjectModel(BankPolicyEntity.name) model: Model<BankPolicyDoc>, context: RequestContext) {
    super(model, context);
  }

  /** The counterparty's policy, created on first use (auto off). */
  async ensure(init: {
    id: string;
    counterpartyKey: string;
    label: string;
    supplierId: string | null;
  }): Promise<BankPolicyDoc> {
    const existing = await this.byKey(init.counterpartyKey);
    if (existing) return existing;
    try {
      return await this.create({
        _id: init.id,
        counterpartyKey: init.counterpartyKey,
        label: init.label,
        supplierId: init.supplierId,
        autoEnabled: false,
        autoEnabledAt: null,
        autoEnabledBy: null,
        autoDisabledAt: null,
        autoDisabledReason: null,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const raced = await this.byKey(init.counterpartyKey);
      if (!raced) throw error;
      return raced;
    }
  }

  byKey(counterpartyKey: string): Promise<BankPolicyDoc | null> {
    return this.findOneWhere(this.scope({ counterpartyKey }));
  }

  byKeys(keys: string[]): Promise<BankPolicyDoc[]> {
    return keys.length ? this.find({ counterpartyKey: { $in: keys } }) : Promise.resolve([]);
  }

  async setAuto(id: string, fields: Pick<BankPolicyDoc, 'autoEnabled'> & Partial<BankPolicyDoc>) {
    return this.updateById(id, { $set: fields });
  }

  /** Turns automatic booking off after a setback (no-op when already off). */
  async disableAuto(counterpartyKey: string, reason: string, at: Date) {
    return this.updateWhere(this.scope({ counterpartyKey, autoEnabled: true }), {
      $set: { autoEnabled: false, autoDisabledAt: at, autoDisabledReason: reason },
    });
  }
}

export type NewPolicyEvent = Omit<PolicyEventDoc, 'organizationId' | 'createdAt'>;

/** Append-only: a policy's history is recorded, never changed. */
@Injectable()
export class PolicyEventsRepository extends AppendOnlyTenantRepository<PolicyEventDoc> {
  constructor(@InjectModel(PolicyEventEntity.name) model: Model<PolicyEventDoc>, context: RequestContext) {
    super(model, context);
  }

  /** Records once per eventKey; false when it was already recorded (a retried step). */
  async record(event: NewPolicyEvent): Promise<boolean> {
    try {
      await this.model.create({ ...event, organizationId: this.organizationId, createdAt: event.at });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Candidate ids rejected for a line. */
  async rejectedCandidates(lineId: string): Promise<Set<string>> {
    const rows = await this.model
      .find({ organizationId: this.organizationId, lineId, kind: 'rejected' }, { candidateId: 1 })
      .lean<{ candidateId: string | null }[]>()
      .exec();
    return new Set(rows.flatMap((r) => (r.candidateId ? [r.candidateId] : [])));
  }

  /** Candidate ids rejected per line, for many lines in one query. */
  async rejectedByLines(lineIds: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (!lineIds.length) return out;
    const rows = await this.model
      .find(
        { organizationId: this.organizationId, lineId: { $in: lineIds }, kind: 'rejected' },
        { lineId: 1, candidateId: 1 },
      )
      .lean<{ lineId: string; candidateId: string | null }[]>()
      .exec();
    for (const r of rows) {
      if (!r.candidateId) continue;
      const set = out.get(r.lineId) ?? new Set<string>();
      set.add(r.candidateId);
      out.set(r.lineId, set);
    }
    return out;
  }

  /** Approved/rejected counts per counterparty (for the matching history signal): one $group. */
  async counts(keys: string[]): Promise<Map<string, Record<PolicyEventKind, number>>> {
    const out = new Map<string, Record<PolicyEventKind, number>>();
    if (!keys.length) return out;
    const rows = await this.model
      .aggregate<{ _id: { key: string; kind: PolicyEventKind }; n: number }>([
        { $match: { organizationId: this.organizationId, counterpartyKey: { $in: keys } } },
        { $group: { _id: { key: '$counterpartyKey', kind: '$kind' }, n: { $sum: 1 } } },
      ])
      .exec();
    for (const row of rows) {
      const entry = out.get(row._id.key) ?? { approved: 0, rejected: 0, undone: 0, auto_booked: 0 };
      entry[row._id.kind] = row.n;
      out.set(row._id.key, entry);
    }
    return out;
  }

  /** Full stats of one counterparty (policy rules): counts, the latest setback, approvals since. */
  async stats(counterpartyKey: string): Promise<PolicyStats> {
    const counts = (await this.counts([counterpartyKey])).get(counterpartyKey) ?? {
      approved: 0,
      rejected: 0,
      undone: 0,
      auto_booked: 0,
    };
    const lastSetback = await this.model
      .findOne({
        organizationId: this.organizationId,
        counterpartyKey,
        kind: { $in: ['rejected', 'undone'] },
      })
      .sort({ at: -1, _id: -1 })
      .lean<PolicyEventDoc>()
      .exec();
    const approvalsSinceSetback = lastSetback
      ? await this.model
          .countDocuments({
            organizationId: this.organizationId,
            counterpartyKey,
            kind: 'approved',
            at: { $gt: lastSetback.at },
          })
          .exec()
      : counts.approved;
    return {
      approvedCount: counts.approved,
      rejectedCount: counts.rejected,
      undoneCount: counts.undone,
      autoBookedCount: counts.auto_booked,
      approvalsSinceSetback,
      lastSetbackAt: lastSetback?.at ?? null,
    };
  }
}
