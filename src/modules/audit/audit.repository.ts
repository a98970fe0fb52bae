import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { isDuplicateKey } from '../../infrastructure/mongo/unique';
import {
  cursorFilter,
  NEWEST_FIRST,
  toPage,
  type Page,
  type PageRequest,
} from '../../infrastructure/mongo/pagination';
import type { AuditAction } from './audit-action';
import { AuditError } from './audit.errors';
import { GENESIS_HASH, hashAuditEntry } from './audit.hash';
import { AUDIT_ENTRY_MODEL, AUDIT_HEAD_MODEL, type AuditEntry, type AuditHead } from './audit.schema';

/** An entry before it has a place in its chain: `append` assigns seq, prevHash, hash (and createdAt = at). */
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash' | 'createdAt'>;

/** `GET /audit` filters. One organization always; `from` inclusive, `to` exclusive, on `at`. */
export interface AuditPageFilter {
  /** null: the platform chain (entries outside any organization). */
  organizationId: string | null;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
}

const MAX_APPEND_ATTEMPTS = 50;

/**
 * The only file touching the audit model. Not a `BaseRepository`: that base assumes `updatedAt` and soft delete,
 * and an append-only entry has neither; the shared cursor pagination (`cursorFilter`, `NEWEST_FIRST`, `toPage`)
 * is reused as is.
 *
 * Performance on FerretDB v1 (SQLite pushes down only `_id` equality): appends start from the chain's head document
 * (read by `_id`), so they stay fast however long the log grows (the exact `findLast`, a scan there, runs only after
 * a lost race); `page` and `chainEntries` scan the collection there. On MongoDB the indexes in audit.schema.ts serve
 * each of them.
 */
@Injectable()
export class AuditRepository {
  private readonly logger = new Logger(AuditRepository.name);

  constructor(
    @InjectModel(AUDIT_ENTRY_MODEL) private readonly model: Model<AuditEntry>,
    @InjectModel(AUDIT_HEAD_MODEL) private readonly heads: Model<AuditHead>,
  ) {}

  /**
   * Appends to the entry's chain without transactions: take the chain's last entry (its head document first, the
   * exact query after a conflict), insert seq+1 with prevHash = last.hash. The unique index {chain, seq} lets
   * exactly one of several concurrent writers win a seq; the others get 11000 and retry on the real last entry
   * (bounded, with a small random backoff). A head left behind (a crash between the two writes, a lost update)
   * costs one conflict, never a wrong link.
   */
  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    let last: Pick<AuditEntry, 'seq' | 'hash'> | null = await this.heads
      .findById(entry.chain)
      .lean<AuditHead>()
      .exec();
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const positioned = { ...entry, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS_HASH };
      const stored: AuditEntry = { ...positioned, hash: hashAuditEntry(positioned), createdAt: entry.at };
      let inserted = false;
      try {
        await this.model.create(stored);
        inserted = true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // 11000 on _id would be a reused global id, not a lost race: retrying cannot help.
        if (await this.model.exists({ _id: entry._id }).exec()) throw error;
      }
      if (inserted) {
        await this.advanceHead(stored);
        return stored;
      }
      if (attempt > 1) await sleep(1 + Math.floor(Math.random() * Math.min(40, 4 * attempt)));
      last = await this.findLast(entry.chain);
    }
    throw new AuditError(
      'CHAIN_CONTENDED',
      `Could not append to audit chain ${entry.chain} after ${MAX_APPEND_ATTEMPTS} attempts`,
    );
  }

  /** One organization's entries, newest first on (createdAt, _id) — createdAt equals `at`. */
  async page(filter: AuditPageFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const query: FilterQuery<AuditEntry> = { organizationId: filter.organizationId };
    if (filter.actorId !== undefined) query.actorId = filter.actorId;
    if (filter.targetType !== undefined) query.targetType = filter.targetType;
    if (filter.targetId !== undefined) query.targetId = filter.targetId;
    if (filter.action !== undefined) query.action = filter.action;
    if (filter.from || filter.to) {
      query.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    }
    const cursor = cursorFilter(page.cursor);
    const rows = await this.model
      .find(Object.keys(cursor).length ? { $and: [query, cursor] } : query)
      .sort(NEWEST_FIRST)
      .limit(page.limit + 1)
      .lean<AuditEntry[]>()
      .exec();
    return toPage(rows, page.limit);
  }

  /**
   * A whole chain in seq order, for verification. Loads everything at once — fine at today's sizes; a large chain
   * should be verified in seq-ranged batches carrying the last hash forward.
   */
  async chainEntries(chain: string): Promise<AuditEntry[]> {
    return this.model.find({ chain }).sort({ seq: 1 }).lean<AuditEntry[]>().exec();
  }

  /**
   * Moves the chain's head forward to `entry` (never back: only a head with a lower seq is replaced; none yet → one
   * is inserted). A failure is logged, not thrown: the entry is written, and the head is only a hint.
   */
  private async advanceHead(entry: AuditEntry): Promise<void> {
    try {
      await this.heads
        .updateOne(
          { _id: entry.chain, seq: { $lt: entry.seq } },
          { $set: { seq: entry.seq, hash: entry.hash } },
          { upsert: true },
        )
        .exec();
    } catch (error) {
      // the upsert met a head at or past this entry (someone appended after it; FerretDB reports that conflict
      // as code 1, not 11000): nothing to do
      const ahead =
        isDuplicateKey(error) ||
        (await this.heads
          .exists({ _id: entry.chain, seq: { $gte: entry.seq } })
          .exec()
          .catch(() => null));
      if (!ahead) this.logger.warn({ chain: entry.chain, err: error }, 'Audit chain head not advanced');
    }
  }

  async findLast(chain: string): Promise<AuditEntry | null> {
    return this.model.findOne({ chain }).sort({ seq: -1 }).lean<AuditEntry>().exec();
  }
}
