import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { ReminderKind } from '../reminders.contract';

/** A person's reminder settings, in every organization they belong to; `_id` is the user id. */
@Schema({ collection: 'reminder_settings', timestamps: true, versionKey: false })
export class ReminderSettingsEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** Kinds this person does not want to see (`GET /reminders` leaves them out). */
  @Prop({ type: [String], default: [] }) disabledKinds!: ReminderKind[];
}
export type ReminderSettingsDoc = ReminderSettingsEntity & BaseDoc;
export const ReminderSettingsSchema = SchemaFactory.createForClass(ReminderSettingsEntity);
