import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { RecurrenceUnit, ScheduleMode } from '../common/recurrence';

/** Where a task without a due date (a meter task) sorts: after every dated one. */
export const UNDATED = '9999-12-31';

@Schema({ collection: 'maintenance_tasks', timestamps: true, versionKey: false })
export class MaintenanceTaskEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) title!: string;
  @Prop({ type: String, default: null }) description!: string | null;
  /** Free text: the part of the home or the machine ("Värmepump", "Takrännor", "Gräsklipparen"). */
  @Prop({ type: String, default: null }) area!: string | null;
  /** Every `every` `unit`s: day, week, month, year (calendar) or hour, km (meter). */
  @Prop({ type: Number, required: true }) every!: number;
  @Prop({ type: String, required: true }) unit!: RecurrenceUnit;
  @Prop({ type: String, required: true, default: 'from_completion' }) scheduleMode!: ScheduleMode;
  /** A user id, a member of the organization. */
  @Prop({ type: String, default: null }) assigneeId!: string | null;
  /** Calendar tasks: the next due date and the anchor a fixed schedule counts from (month ends clamp). */
  @Prop({ type: String, default: null }) nextDue!: string | null;
  @Prop({ type: String, default: null }) anchor!: string | null;
  /** Meter tasks: the reading at the last completion (or creation), the latest known one, the one it is due at. */
  @Prop({ type: Number, default: null }) lastReading!: number | null;
  @Prop({ type: Number, default: null }) currentReading!: number | null;
  @Prop({ type: Number, default: null }) dueReading!: number | null;
  /** Meter tasks: the current reading has reached the due reading (kept with the readings: no `$expr` on FerretDB). */
  @Prop({ type: Boolean, default: false }) readingDue!: boolean;
  /** `nextDue`, or UNDATED: what the list sorts on (keyset on sortDue, _id). */
  @Prop({ type: String, required: true }) sortDue!: string;
  @Prop({ type: [Number], default: null }) leadDays!: number[] | null;
  @Prop({ type: Number, default: null }) leadReading!: number | null;
  @Prop({ type: String, default: null }) lastCompletedOn!: string | null;
  @Prop({ type: String, default: null }) notes!: string | null;
}
export type MaintenanceTaskDoc = MaintenanceTaskEntity &
  BaseDoc &
  SoftDeleteFields & { organizationId: string };
export const MaintenanceTaskSchema = SchemaFactory.createForClass(MaintenanceTaskEntity);
MaintenanceTaskSchema.plugin(tenantScopedPlugin);
MaintenanceTaskSchema.plugin(softDeletePlugin);
// GET /maintenance by next due date (keyset on sortDue, _id), the overdue list (sortDue < today).
MaintenanceTaskSchema.index({ organizationId: 1, sortDue: 1, _id: 1 });
// GET /maintenance?assigneeId=: one person's tasks by next due date.
MaintenanceTaskSchema.index({ organizationId: 1, assigneeId: 1, sortDue: 1 });
