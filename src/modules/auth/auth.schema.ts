import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A refresh token is `<_id>.<secret>`; only sha256(secret) is stored. Tokens of one login form a family. */
@Schema({
  collection: 'refresh_tokens',
  timestamps: { createdAt: true, updatedAt: false },
  versionKey: false,
})
export class RefreshTokenEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) userId!: string;
  @Prop({ type: String, required: true }) familyId!: string;
  @Prop({ type: String, required: true }) secretHash!: string;
  /** This token's own end: the sliding REFRESH_TOKEN_TTL_DAYS, never past `familyExpiresAt`. */
  @Prop({ type: Date, required: true }) expiresAt!: Date;
  /** The end of the whole sign-in (REFRESH_FAMILY_MAX_DAYS after it), the same for every token of the family. */
  @Prop({ type: Date, default: null }) familyExpiresAt!: Date | null;
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
  @Prop({ type: String, default: null }) ip!: string | null;
  @Prop({ type: String, default: null }) userAgent!: string | null;
  createdAt!: Date;
}
export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshTokenEntity);
// revoke a family (reuse detection) and every session of a user (reset/logout everywhere)
RefreshTokenSchema.index({ familyId: 1 });
RefreshTokenSchema.index({ userId: 1 });
