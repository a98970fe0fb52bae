import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { isDuplicateKey, type Taken, unlessTaken } from '../../infrastructure/mongo/unique';
import { MutableRepository } from '../../infrastructure/mongo/repositories';
import { afterPosition, type ScanPosition } from '../../infrastructure/mongo/scan-position';
import { DEFAULT_BILLING_POLICY, type BillingPolicy } from './billing.policy';
import {
  BillingAccountEntity,
  BillingInvitationEntity,
  BillingInvoiceEntity,
  BillingNoticeEntity,
  BillingPolicyEntity,
  StripeEventEntity,
  type BillingAccountDoc,
  type BillingDetails,
  type BillingInvitationDoc,
  type BillingInvoiceDoc,
  type BillingNoticeDoc,
  type BillingPolicyDoc,
  type LatestInvoice,
} from './billing.schema';
import type { BillingProviderName, BillingState } from './billing.state';

const POLICY_ID = 'current';

@Injectable()
export class BillingAccountsRepository extends MutableRepository<BillingAccountDoc> {
  constructor(@InjectModel(BillingAccountEntity.name) model: Model<BillingAccountDoc>) {
    super(model);
  }

  findById(organizationId: string): Promise<BillingAccountDoc | null> {
    return this.findOneWhere({ _id: organizationId });
  }

  findByIds(organizationIds: string[]): Promise<BillingAccountDoc[]> {
    return organizationIds.length ? this.findWhere({ _id: { $in: organizationIds } }) : Promise.resolve([]);
  }

  findBySubscription(externalSubscriptionId: string): Promise<BillingAccountDoc | null> {
    return this.findOneWhere({ externalSubscriptionId });
  }

  /** Writes the state, creating the account if needed (an upsert on `_id`: the same write from two runners is harmless). */
  async saveState(
    organizationId: string,
    state: BillingState,
    provider?: { name: BillingProviderName; externalSubscriptionId: string | null },
  ): Promise<void> {
    const set: Record<string, unknown> = {
      plan: state.plan,
      billingStatus: state.billingStatus,
      periodEnd: state.periodEnd,
      graceUntil: state.graceUntil,
      trialEnd: state.trialEnd,
      periodPaid: state.periodPaid,
    };
    if (provider) {
      set.provider = provider.name;
      if (provider.externalSubscriptionId !== null)
        set.externalSubscriptionId = provider.externalSubscriptionId;
    }
    await this.model
      .updateOne({ _id: organizationId }, { $set: set }, { upsert: true, setDefaultsOnInsert: true })
      .exec();
  }

  /** Creates the account with `state` unless one exists (a sign-up trial); false when it already existed. */
  async insertIfMissing(organizationId: string, state: BillingState): Promise<boolean> {
    try {
      await this.insert({
        _id: organizationId,
        ...state,
        provider: 'manual',
        externalSubscriptionId: null,
        latestInvoice: null,
        details: null,
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async setLatestInvoice(organizationId: string, latestInvoice: LatestInvoice): Promise<void> {
    await this.model.updateOne({ _id: organizationId }, { $set: { latestInvoice } }).exec();
  }

  setDetails(organizationId: string, details: BillingDetails) {
    return this.updateWhere({ _id: organizationId }, { $set: { details } });
  }

  /** The daily job's batches: accounts that can change without anyone acting (pro, trial), in `_id` order. */
  changeableAfter(afterId: string | null, limit: number): Promise<BillingAccountDoc[]> {
    const filter: FilterQuery<BillingAccountDoc> = { plan: { $in: ['pro', 'trial'] } };
    if (afterId) filter._id = { $gt: afterId };
    return this.findWhere(filter, { sort: { _id: 1 }, limit });
  }

  /** Accounts not on free+active (the overview's interesting ones), in `_id` order, in batches. */
  notPlainFreeAfter(afterId: string | null, limit: number): Promise<BillingAccountDoc[]> {
    const filter: FilterQuery<BillingAccountDoc> = {
      $or: [{ plan: { $ne: 'free' } }, { billingStatus: { $ne: 'active' } }],
    };
    if (afterId) filter._id = { $gt: afterId };
    return this.findWhere(filter, { sort: { _id: 1 }, limit });
  }

  /** Accounts with the given date set, sorted by it (admin list sorted by a billing date). */
  pageByDate(
    field: 'periodEnd' | 'graceUntil' | 'trialEnd',
    direction: 1 | -1,
    position: ScanPosition | null,
    limit: number,
    onlyIds: string[] | null,
  ): Promise<BillingAccountDoc[]> {
    const filter: FilterQuery<BillingAccountDoc> = {
      [field]: { $ne: null },
      ...afterPosition(field, direction, position, true),
    };
    if (onlyIds) filter._id = { $in: onlyIds };
    return this.findWhere(filter, { sort: { [field]: direction, _id: direction }, limit });
  }
}

@Injectable()
export class BillingInvoicesRepository extends MutableRepository<BillingInvoiceDoc> {
  constructor(@InjectModel(BillingInvoiceEntity.name) model: Model<BillingInvoiceDoc>) {
    super(model);
  }

  /** Throws a duplicate-key error when the invoice number exists (the caller answers 409). */
  /** TAKEN when the invoice number is already registered. */
  create(invoice: Omit<BillingInvoiceDoc, 'createdAt' | 'updatedAt'>): Promise<BillingInvoiceDoc | Taken> {
    return unlessTaken(() => this.insert(invoice));
  }

  findByInvoiceId(invoiceId: string): Promise<BillingInvoiceDoc | null> {
    return this.findOneWhere({ invoiceId });
  }

  /** One organization's invoices, newest first (the payment history). */
  forOrganization(organizationId: string, limit = 100): Promise<BillingInvoiceDoc[]> {
    return this.findWhere({ organizationId }, { sort: { createdAt: -1, _id: -1 }, limit });
  }

  openForOrganization(organizationId: string): Promise<BillingInvoiceDoc[]> {
    return this.findWhere(
      { organizationId, status: 'open' },
      { sort: { createdAt: -1, _id: -1 }, limit: 50 },
    );
  }

  /** Open invoices of many organizations at once (the daily job's batch). */
  openForOrganizations(organizationIds: string[]): Promise<BillingInvoiceDoc[]> {
    return organizationIds.length
      ? this.findWhere({ organizationId: { $in: organizationIds }, status: 'open' })
      : Promise.resolve([]);
  }

  markPaid(id: string, paidAt: Date) {
    return this.updateWhere({ _id: id, status: 'open' }, { $set: { status: 'paid', paidAt } });
  }

  /** A provider's invoice: updates status/amount of a known number, else inserts it. */
  async upsertFromProvider(
    invoice: Omit<BillingInvoiceDoc, 'createdAt' | 'updatedAt'>,
  ): Promise<BillingInvoiceDoc> {
    const existing = await this.findByInvoiceId(invoice.invoiceId);
    if (!existing) {
      try {
        return await this.insert(invoice);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    const { _id: _ignored, ...fields } = invoice;
    const result = await this.updateWhere({ invoiceId: invoice.invoiceId }, { $set: fields });
    return result?.after ?? ((await this.findByInvoiceId(invoice.invoiceId)) as BillingInvoiceDoc);
  }
}

@Injectable()
export class BillingPolicyRepository {
  constructor(@InjectModel(BillingPolicyEntity.name) private readonly model: Model<BillingPolicyDoc>) {}

  /** The policy in force (defaults for anything never set) and who changed it last. */
  async get(): Promise<{ policy: BillingPolicy; updatedAt: Date | null; updatedBy: string | null }> {
    const doc = await this.model.findOne({ _id: POLICY_ID }).lean<BillingPolicyDoc>().exec();
    if (!doc) return { policy: { ...DEFAULT_BILLING_POLICY }, updatedAt: null, updatedBy: null };
    const policy = { ...DEFAULT_BILLING_POLICY };
    for (const key of Object.keys(DEFAULT_BILLING_POLICY) as (keyof BillingPolicy)[]) {
      if (doc[key] !== undefined && doc[key] !== null) (policy as Record<string, unknown>)[key] = doc[key];
    }
    return { policy, updatedAt: doc.updatedAt ?? null, updatedBy: doc.updatedBy ?? null };
  }

  async save(policy: BillingPolicy, updatedBy: string | null): Promise<void> {
    await this.model
      .updateOne({ _id: POLICY_ID }, { $set: { ...policy, updatedBy } }, { upsert: true })
      .exec();
  }
}

@Injectable()
export class BillingNoticesRepository {
  constructor(@InjectModel(BillingNoticeEntity.name) private readonly model: Model<BillingNoticeDoc>) {}

  /** True for the first caller with this key (unique `_id`), false for every later one. */
  async claim(notice: BillingNoticeDoc): Promise<boolean> {
    try {
      await this.model.create(notice);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Gives a claim back (the claimed action failed and may be tried again). */
  async release(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }

  forOrganization(organizationId: string, limit = 50): Promise<BillingNoticeDoc[]> {
    return this.model
      .find({ organizationId })
      .sort({ at: -1 })
      .limit(limit)
      .lean<BillingNoticeDoc[]>()
      .exec();
  }
}

@Injectable()
export class BillingInvitationsRepository extends MutableRepository<BillingInvitationDoc> {
  constructor(@InjectModel(BillingInvitationEntity.name) model: Model<BillingInvitationDoc>) {
    super(model);
  }

  create(invitation: Omit<BillingInvitationDoc, 'createdAt' | 'updatedAt'>): Promise<BillingInvitationDoc> {
    return this.insert(invitation);
  }

  findByTokenHash(tokenHash: string): Promise<BillingInvitationDoc | null> {
    return this.findOneWhere({ tokenHash });
  }

  /** Invitations to this address not accepted yet and not expired at `now`, newest first. */
  pendingFor(email: string, now: Date): Promise<BillingInvitationDoc[]> {
    return this.findWhere(
      { email, acceptedAt: null, expiresAt: { $gt: now } },
      { sort: { createdAt: -1, _id: -1 }, limit: 20 },
    );
  }

  markAccepted(id: string, userId: string, organizationId: string, at: Date) {
    return this.updateWhere(
      { _id: id, acceptedAt: null },
      { $set: { acceptedAt: at, acceptedBy: userId, organizationId } },
    );
  }
}

@Injectable()
export class StripeEventsRepository {
  constructor(@InjectModel(StripeEventEntity.name) private readonly model: Model<StripeEventEntity>) {}

  /** True the first time an event id is seen. */
  async claim(id: string, type: string, receivedAt: Date): Promise<boolean> {
    try {
      await this.model.create({ _id: id, type, receivedAt, outcome: null, organizationId: null });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async setOutcome(id: string, outcome: string, organizationId: string | null): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { outcome, organizationId } }).exec();
  }

  /** Processing failed: forget the event so Stripe's retry is processed again. */
  async release(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
