import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import { declareCrossTenant } from '../../../infrastructure/mongo/plugins';

/** Admin invitations of a customer to a plan. The token is mailed; only its sha256 is stored. */
@Schema({ collection: 'billing_invitations', timestamps: true, versionKey: false })
export class BillingInvitationEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) email!: string;
  @Prop({ type: String, enum: ['pro', 'trial'], required: true }) plan!: 'pro' | 'trial';
  @Prop({ type: String, required: true }) tokenHash!: string;
  @Prop({ type: String, required: true }) invitedBy!: string;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) acceptedAt!: Date | null;
  @Prop({ type: String, default: null }) acceptedBy!: string | null;
  /** The organization that got the plan. */
  @Prop({ type: String, default: null }) organizationId!: string | null;
}
export type BillingInvitationDoc = BillingInvitationEntity & BaseDoc;
export const BillingInvitationSchema = SchemaFactory.createForClass(BillingInvitationEntity);
declareCrossTenant(
  BillingInvitationSchema,
  'platform admin invitations; accepted by the invited user, not inside an organization',
);
// pending invitations of an address (applied when that address verifies or accepts)
BillingInvitationSchema.index({ email: 1 });
// accept by token
BillingInvitationSchema.index({ tokenHash: 1 }, { unique: true });
