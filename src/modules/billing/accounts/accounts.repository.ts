import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { isDuplicateKey } from '../../../infrastructure/mongo/unique';
import { MutableRepository } from '../../../infrastructure/mongo/repositories';
import { afterPosition, type ScanPosition } from '../../../infrastructure/mongo/scan-position';
import type { BillingProviderName, BillingState } from './billing.state';
import {
  BillingAccountEntity,
  type BillingAccountDoc,
  type BillingDetails,
  type LatestInvoice,
} from './accounts.schema';

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

  /** Trial accounts whose trial ends in [from, to] (the admin overview's trials ending this week). */
  trialsEndingBetween(from: Date, to: Date): Promise<BillingAccountDoc[]> {
    return this.findWhere({ plan: 'trial', trialEnd: { $gte: from, $lte: to } }, { limit: 10_000 });
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
