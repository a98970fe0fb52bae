import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { isDuplicateKey } from '../../../infrastructure/mongo/unique';
import { TenantRepository } from '../../../infrastructure/mongo/repositories';
import {
  BankMatchEntity,
  MatchingStateEntity,
  type BankMatchDoc,
  type MatchingStateDoc,
} from './matching.schema';

/**
 * Matches of bank lines. Reads are lean; every query goes through `scope()` (the request's or job's organization).
 *
 * FerretDB v1 notes: SQLite pushes down only `_id` equality, so the indexed queries here scan there — fine for tests
 * and small data; on MongoDB each is served by the index named in matching.schema.ts.
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

/** The organization's matching generation (one document, `_id` = organization id). */
@Injectable()
export class MatchingStateRepository extends TenantRepository<MatchingStateDoc> {
  constructor(
    @InjectModel(MatchingStateEntity.name) model: Model<MatchingStateDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  /** The current token, or null before anything was ever recorded. A read only. */
  async current(): Promise<string | null> {
    const state = await this.findById(this.organizationId);
    return state?.generation ?? null;
  }

  /** Replaces the token (upsert): every reader that saw an older one now sees a different one. */
  async replace(generation: string, reason: string): Promise<void> {
    const organizationId = this.organizationId;
    const filter = { _id: organizationId, organizationId };
    try {
      await this.model.updateOne(filter, { $set: { generation, reason } }, { upsert: true }).exec();
    } catch (error) {
      // Two first writers at once: the loser's insert hits `_id` (11000 on MongoDB, code 1 from FerretDB's upsert);
      // the document exists now, so a plain update replaces the token.
      if (!(await this.current())) throw error;
      await this.model.updateOne(filter, { $set: { generation, reason } }).exec();
    }
  }

  /** The current token; when there is none yet, `initial` is stored (first writer wins) and returned. */
  async ensure(initial: string): Promise<string> {
    const existing = await this.current();
    if (existing) return existing;
    const organizationId = this.organizationId;
    await this.model
      .updateOne(
        { _id: organizationId, organizationId },
        { $setOnInsert: { generation: initial, reason: 'initial' } },
        { upsert: true },
      )
      .exec()
      .catch(async (error: unknown) => {
        // Two first writers at once: the loser's insert hits `_id` (11000, or code 1 from FerretDB's upsert); the
        // winner's token is read below.
        if (!(await this.current())) throw error;
      });
    return (await this.current()) ?? initial;
  }
}
