import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

/** A member's choice to get the organization's monthly report by mail (opt-in; off unless a row says on). */
@Schema({ collection: 'report_subscriptions', timestamps: true, versionKey: false })
export class ReportSubscriptionEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) userId!: string;
  @Prop({ type: Boolean, required: true }) enabled!: boolean;
}
export type ReportSubscriptionDoc = ReportSubscriptionEntity & BaseDoc & { organizationId: string };
export const ReportSubscriptionSchema = SchemaFactory.createForClass(ReportSubscriptionEntity);
ReportSubscriptionSchema.plugin(tenantScopedPlugin);
// One row per member and organization (GET/PUT /reports/monthly-mail); the monthly run reads the enabled ones.
ReportSubscriptionSchema.index({ organizationId: 1, userId: 1 }, { unique: true });
// The monthly scan across organizations: enabled rows.
ReportSubscriptionSchema.index({ enabled: 1, organizationId: 1 });

/** One monthly report mail: claimed once per member, organization and month by its unique key. */
@Schema({ collection: 'report_mailings', timestamps: true, versionKey: false })
export class ReportMailingEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) userId!: string;
  /** `YYYY-MM`: the month reported on. */
  @Prop({ type: String, required: true }) period!: string;
  @Prop({ type: String, required: true }) reportId!: string;
  @Prop({ type: String, enum: ['claimed', 'sent'], required: true }) status!: 'claimed' | 'sent';
}
export type ReportMailingDoc = ReportMailingEntity & BaseDoc & { organizationId: string };
export const ReportMailingSchema = SchemaFactory.createForClass(ReportMailingEntity);
ReportMailingSchema.plugin(tenantScopedPlugin);
// Once per member and month: the claim is an insert on this key (a second run finds it).
ReportMailingSchema.index({ organizationId: 1, userId: 1, period: 1 }, { unique: true });
