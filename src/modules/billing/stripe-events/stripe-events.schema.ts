import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { declareCrossTenant } from '../../../infrastructure/mongo/plugins';

/** Stripe events seen: the unique `_id` (the event id) makes a redelivered event a no-op. */
@Schema({ collection: 'billing_stripe_events', versionKey: false })
export class StripeEventEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) type!: string;
  @Prop({ type: Date, required: true }) receivedAt!: Date;
  @Prop({ type: String, default: null }) outcome!: string | null;
  @Prop({ type: String, default: null }) organizationId!: string | null;
}
export const StripeEventSchema = SchemaFactory.createForClass(StripeEventEntity);
declareCrossTenant(StripeEventSchema, 'webhook events arrive from Stripe before any organization is known');
