import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { declareCrossTenant } from '../../../infrastructure/mongo/plugins';

/**
 * Notices sent (transition mails, reminders). `_id` is `<organizationId>:<key>` (e.g. `A000123:trial_ending:<iso>`):
 * inserting it claims the notice, so a reminder or an automatic transition is mailed and audited once even when the
 * daily job and the admin trigger run at the same time.
 */
@Schema({ collection: 'billing_notices', versionKey: false })
export class BillingNoticeEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) organizationId!: string;
  @Prop({ type: String, enum: ['transition', 'reminder'], required: true }) type!: 'transition' | 'reminder';
  @Prop({ type: String, required: true }) kind!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}
export type BillingNoticeDoc = BillingNoticeEntity;
export const BillingNoticeSchema = SchemaFactory.createForClass(BillingNoticeEntity);
declareCrossTenant(
  BillingNoticeSchema,
  'notices are written by the daily billing run across organizations; _id starts with the organization',
);
// the admin account detail: notices of one organization, newest first
BillingNoticeSchema.index({ organizationId: 1, at: -1 });
