import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { isDuplicateKey } from '../../../infrastructure/mongo/unique';
import { AppendOnlyTenantRepository, TenantRepository } from '../../../infrastructure/mongo/repositories';
import {
  BankPolicyEntity,
  PolicyEventEntity,
  type BankPolicyDoc,
  type PolicyEventDoc,
} from './policies.schema';
import type { PolicyEventKind, PolicyStats } from './policy.rules';

/**
 * Counterparty policies and their events. Reads are lean; every query goes through `scope()` (the request's or job's
 * organization).
 *
 * FerretDB v1 notes: SQLite pushes down only `_id` equality, so the indexed queries here scan there — fine for tests
 * and small data; on MongoDB each is served by the index named in policies.schema.ts.
 */

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
    return this.updateWhere(
      { counterpartyKey, autoEnabled: true },
      {
        $set: { autoEnabled: false, autoDisabledAt: at, autoDisabledReason: reason },
      },
    );
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
