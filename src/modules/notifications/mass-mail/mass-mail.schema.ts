import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

export const MASS_MAIL_STATUSES = ['preparing', 'sending', 'done'] as const;
export type MassMailStatus = (typeof MASS_MAIL_STATUSES)[number];
export const RECIPIENT_STATES = ['pending', 'queued', 'sent', 'failed'] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

export interface Audience {
  type: 'all' | 'plan' | 'billing_status';
  plan?: 'free' | 'trial' | 'pro';
  status?: 'active' | 'past_due' | 'suspended';
}

/** An admin's mass mail (platform data): texts, audience and where sending stands. */
@Schema({ collection: 'mass_mails', timestamps: true, versionKey: false, minimize: false })
export class MassMailEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) subjectSv!: string;
  @Prop({ type: String, required: true }) subjectEn!: string;
  @Prop({ type: String, required: true }) bodySv!: string;
  @Prop({ type: String, required: true }) bodyEn!: string;
  @Prop({ type: Object, required: true }) audience!: Audience;
  @Prop({ type: String, enum: MASS_MAIL_STATUSES, required: true }) status!: MassMailStatus;
  /** Recipients listed (known once prepared). */
  @Prop({ type: Number, default: null }) total!: number | null;
  /** People of the audience left out: announcements off (unsubscribed) or address not verified. */
  @Prop({ type: Number, default: 0 }) skipped!: number;
  @Prop({ type: String, required: true }) createdBy!: string;
  @Prop({ type: Date, default: null }) preparedAt!: Date | null;
  @Prop({ type: Date, default: null }) doneAt!: Date | null;
}
export type MassMailDoc = MassMailEntity & BaseDoc;
export const MassMailSchema = SchemaFactory.createForClass(MassMailEntity);

/** One person of a mass mail; `_id` = `<massMailId>:<userId>`, so listing the audience twice adds no one twice. */
@Schema({ collection: 'mass_mail_recipients', timestamps: true, versionKey: false })
export class MassMailRecipientEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) massMailId!: string;
  @Prop({ type: String, required: true }) userId!: string;
  @Prop({ type: String, required: true }) email!: string;
  @Prop({ type: String, required: true }) locale!: 'sv' | 'en';
  /** Sending order. */
  @Prop({ type: Number, required: true }) seq!: number;
  @Prop({ type: String, enum: RECIPIENT_STATES, required: true }) state!: RecipientState;
}
export type MassMailRecipientDoc = MassMailRecipientEntity & BaseDoc;
export const MassMailRecipientSchema = SchemaFactory.createForClass(MassMailRecipientEntity);
// The next slice to send (pending, in order), the progress counts per state and the queued ones to settle.
MassMailRecipientSchema.index({ massMailId: 1, state: 1, seq: 1 });
