import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

/** A person's calendar feed token (stored as its SHA-256 only); `_id` is the user id: one live token each. */
@Schema({ collection: 'calendar_tokens', timestamps: true, versionKey: false })
export class CalendarTokenEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) tokenHash!: string;
}
export type CalendarTokenDoc = CalendarTokenEntity & BaseDoc;
export const CalendarTokenSchema = SchemaFactory.createForClass(CalendarTokenEntity);
// GET /calendar/{token}.ics finds the person by the token's hash.
CalendarTokenSchema.index({ tokenHash: 1 }, { unique: true });
