import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const ONE_TIME_PURPOSES = ['verify-email', 'reset-password', 'invitation'] as const;
export type OneTimePurpose = (typeof ONE_TIME_PURPOSES)[number];

/** Mailed single-use tokens. `_id` is sha256(token): the token itself is never stored. */
@Schema({
  collection: 'one_time_tokens',
  timestamps: { createdAt: true, updatedAt: false },
  versionKey: false,
})
export class OneTimeTokenEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, enum: ONE_TIME_PURPOSES, required: true }) purpose!: OneTimePurpose;
  @Prop({ type: String, required: true }) subjectId!: string;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
  createdAt!: Date;
}
export const OneTimeTokenSchema = SchemaFactory.createForClass(OneTimeTokenEntity);
// expiry cleanup (FerretDB has no TTL indexes)
OneTimeTokenSchema.index({ expiresAt: 1 });

/**
 * Spending a single-use thing (a one-time token, a refresh token) = inserting its id here. The unique `_id` makes
 * the second spender fail even when two requests race, on FerretDB too (its updates are read-modify-write).
 */
@Schema({ collection: 'token_uses', versionKey: false })
export class TokenUseEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const TokenUseSchema = SchemaFactory.createForClass(TokenUseEntity);
