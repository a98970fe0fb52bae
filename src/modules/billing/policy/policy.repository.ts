import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DEFAULT_BILLING_POLICY, type BillingPolicy } from './billing.policy';
import { BillingPolicyEntity, type BillingPolicyDoc } from './policy.schema';

const POLICY_ID = 'current';

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
