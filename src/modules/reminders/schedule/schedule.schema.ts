import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

/**
 * The reminder schedule: for each record with occasions, the next day its reminders can change without the record
 * changing (a lead day comes, a deadline passes, the odometer gets close). The daily run reads only the records
 * due that day instead of every record of every organization (docs/reminders.md).
 */
@Schema({ collection: 'reminder_checks', timestamps: true, versionKey: false })
export class ReminderCheckEntity {
  /** `<organization>:<sourceType>:<sourceId>:<day>[:r]`: a record's check on a day, added once (`:r` rollover). */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) sourceType!: string;
  @Prop({ type: String, required: true }) sourceId!: string;
  /** The Stockholm day of the next check. */
  @Prop({ type: String, required: true }) day!: string;
  /** An occasion passes its date that day: the check looks for reminders whose occasion is gone. */
  @Prop({ type: Boolean, default: false }) rollover!: boolean;
}
export type ReminderCheckDoc = ReminderCheckEntity & BaseDoc & { organizationId: string };
export const ReminderCheckSchema = SchemaFactory.createForClass(ReminderCheckEntity);
ReminderCheckSchema.plugin(tenantScopedPlugin);
// The daily scan: every organization's checks of one day (an equality FerretDB's PostgreSQL backend filters in SQL).
ReminderCheckSchema.index({ day: 1, organizationId: 1 });
// A full rebuild replaces the organization's checks.
ReminderCheckSchema.index({ organizationId: 1, sourceType: 1 });

/** An organization whose schedule was built by a full run (of this `version` of the sources' rules). */
@Schema({ collection: 'reminder_schedules', timestamps: true, versionKey: false })
export class ReminderScheduleEntity {
  /** The organization id. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Number, required: true }) version!: number;
  @Prop({ type: String, required: true }) builtOn!: string;
}
export type ReminderScheduleDoc = ReminderScheduleEntity & BaseDoc & { organizationId: string };
export const ReminderScheduleSchema = SchemaFactory.createForClass(ReminderScheduleEntity);
ReminderScheduleSchema.plugin(tenantScopedPlugin);

/** The last day the daily scan read (`_id: 'daily'`), so a missed day is read on the next. Not tenant data. */
@Schema({ collection: 'reminder_scans', versionKey: false })
export class ReminderScanEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) lastDay!: string;
}
export const ReminderScanSchema = SchemaFactory.createForClass(ReminderScanEntity);
