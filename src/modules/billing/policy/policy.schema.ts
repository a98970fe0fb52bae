import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import { AFTER_GRACE, FREE_ACCESS, SIGN_UP_PLANS, type BillingPolicy } from './billing.policy';

/** The policy: a single document `_id: 'current'`; absent → defaults. */
@Schema({ collection: 'billing_policy', timestamps: true, versionKey: false })
export class BillingPolicyEntity implements BillingPolicy {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Number, required: true }) periodDays!: number;
  @Prop({ type: Number, required: true }) graceDays!: number;
  @Prop({ type: Number, required: true }) trialDays!: number;
  @Prop({ type: String, enum: SIGN_UP_PLANS, required: true }) signUpPlan!: BillingPolicy['signUpPlan'];
  @Prop({ type: String, enum: AFTER_GRACE, required: true }) afterGrace!: BillingPolicy['afterGrace'];
  @Prop({ type: String, enum: FREE_ACCESS, required: true }) freeAccess!: BillingPolicy['freeAccess'];
  @Prop({ type: Number, required: true }) periodReminderDays!: number;
  @Prop({ type: Number, required: true }) graceReminderDays!: number;
  @Prop({ type: Number, required: true }) trialReminderDays!: number;
  @Prop({ type: String, default: null }) updatedBy!: string | null;
}
export type BillingPolicyDoc = BillingPolicyEntity & BaseDoc;
export const BillingPolicySchema = SchemaFactory.createForClass(BillingPolicyEntity);
