import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

/** One completion of a task: the cost log. */
@Schema({ collection: 'maintenance_completions', timestamps: true, versionKey: false })
export class MaintenanceCompletionEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) taskId!: string;
  @Prop({ type: String, required: true }) date!: string;
  /** `YYYY` of `date`: what the cost per year groups on (FerretDB has no date operators). */
  @Prop({ type: String, required: true }) year!: string;
  /** Öre, ≥ 0. */
  @Prop({ type: Number, required: true, default: 0 }) cost!: number;
  @Prop({ type: String, required: true, default: 'SEK' }) currency!: string;
  @Prop({ type: String, default: null }) note!: string | null;
  /** Meter tasks: the reading at the completion. */
  @Prop({ type: Number, default: null }) reading!: number | null;
  /** The user who recorded it (null for the system). */
  @Prop({ type: String, default: null }) completedBy!: string | null;
  /** What was due (date or reading) and what the completion made due next. */
  @Prop({ type: String, default: null }) dueDate!: string | null;
  @Prop({ type: Number, default: null }) dueReading!: number | null;
  @Prop({ type: String, default: null }) nextDue!: string | null;
  @Prop({ type: Number, default: null }) nextDueReading!: number | null;
}
export type MaintenanceCompletionDoc = MaintenanceCompletionEntity &
  BaseDoc &
  SoftDeleteFields & { organizationId: string };
export const MaintenanceCompletionSchema = SchemaFactory.createForClass(MaintenanceCompletionEntity);
MaintenanceCompletionSchema.plugin(tenantScopedPlugin);
MaintenanceCompletionSchema.plugin(softDeletePlugin);
// A task's completions newest first (keyset on date, _id), and the task's completions for the trash.
MaintenanceCompletionSchema.index({ organizationId: 1, taskId: 1, date: -1, _id: -1 });
// The cost per year.
MaintenanceCompletionSchema.index({ organizationId: 1, year: 1 });
