import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { ReminderKind } from '../reminders.contract';

export const REMINDER_STATES = ['open', 'done', 'obsolete'] as const;
export type ReminderState = (typeof REMINDER_STATES)[number];

@Schema({ collection: 'reminders', timestamps: true, versionKey: false })
export class ReminderEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) kind!: ReminderKind;
  @Prop({ type: String, required: true }) sourceType!: string;
  @Prop({ type: String, required: true }) sourceId!: string;
  /** `kind:sourceType:sourceId:due`: one occasion; the run marks open reminders of vanished occasions obsolete. */
  @Prop({ type: String, required: true }) occasion!: string;
  /** `occasion` plus the lead (`d30`, `km1000`): the reminder is stored once per key, whatever reruns. */
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: String, required: true }) lead!: string;
  @Prop({ type: String, required: true }) remindOn!: string;
  @Prop({ type: String, default: null }) dueDate!: string | null;
  @Prop({ type: Number, default: null }) dueOdometer!: number | null;
  @Prop({ type: String, required: true }) titleSv!: string;
  @Prop({ type: String, required: true }) titleEn!: string;
  @Prop({ type: Number, default: null }) amount!: number | null;
  @Prop({ type: String, default: null }) currency!: string | null;
  @Prop({ type: String, required: true, default: 'open' }) state!: ReminderState;
  @Prop({ type: String, default: null }) snoozedUntil!: string | null;
  @Prop({ type: Date, default: null }) doneAt!: Date | null;
  @Prop({ type: String, default: null }) doneBy!: string | null;
}
export type ReminderDoc = ReminderEntity & BaseDoc & { organizationId: string };
export const ReminderSchema = SchemaFactory.createForClass(ReminderEntity);
ReminderSchema.plugin(tenantScopedPlugin);
// The daily run inserts each reminder once (duplicate key = already there).
ReminderSchema.index({ organizationId: 1, key: 1 }, { unique: true });
// GET /reminders: open ones by the day they became due; the run's obsolete check reads the open ones too.
ReminderSchema.index({ organizationId: 1, state: 1, remindOn: 1 });
// A record's check (a change, its scheduled day): its open reminders.
ReminderSchema.index({ organizationId: 1, sourceId: 1, state: 1 });
