import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { FuelType, OdometerUnit } from '../common/car-kinds';

@Schema({ collection: 'cars', timestamps: true, versionKey: false })
export class CarEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** What people call it ("Familjebilen"); defaults to make and model. */
  @Prop({ type: String, required: true }) name!: string;
  /** Normalized: upper-case, no space (`ABC123`). */
  @Prop({ type: String, required: true }) registration!: string;
  @Prop({ type: Boolean, default: false }) personalPlate!: boolean;
  @Prop({ type: String, default: null }) make!: string | null;
  @Prop({ type: String, default: null }) model!: string | null;
  @Prop({ type: Number, default: null }) year!: number | null;
  @Prop({ type: [String], default: [] }) fuelTypes!: FuelType[];
  @Prop({ type: String, default: null }) purchaseDate!: string | null;
  /** Öre. */
  @Prop({ type: Number, default: null }) purchasePrice!: number | null;
  @Prop({ type: String, required: true, default: 'SEK' }) currency!: string;
  @Prop({ type: String, required: true, default: 'km' }) odometerUnit!: OdometerUnit;
  /** Service every N km and/or every N months, counted from the last service event. */
  @Prop({ type: Number, default: null }) serviceIntervalKm!: number | null;
  @Prop({ type: Number, default: null }) serviceIntervalMonths!: number | null;
  @Prop({ type: String, default: 'first' }) serviceCombine!: 'first' | 'later';
  /** Besiktning, fordonsskatt and the insurance's renewal: the next due days. */
  @Prop({ type: String, default: null }) inspectionDue!: string | null;
  @Prop({ type: String, default: null }) taxDue!: string | null;
  @Prop({ type: String, default: null }) insuranceRenewal!: string | null;
  @Prop({ type: [Number], default: null }) reminderLeadDays!: number[] | null;
  @Prop({ type: Number, default: null }) reminderLeadKm!: number | null;
  @Prop({ type: String, default: null }) notes!: string | null;
  /**
   * What the service reminder counts from, derived from the car's events by its reminder source whenever they
   * change (so the daily schedule reads the car, not its history). Not part of the API.
   */
  @Prop({ type: Object, default: null }) reminderBasis?: CarReminderBasis | null;
}

export interface CarReminderBasis {
  /** The last service (or the purchase, or the first reading): the interval counts from here. */
  fromDate: string | null;
  fromKm: number | null;
  /** The latest odometer reading and the last year's average daily distance (`estimateOdometer`). */
  latestDate: string | null;
  latestKm: number | null;
  perDayKm: number;
}
export type CarDoc = CarEntity & BaseDoc & SoftDeleteFields & { organizationId: string };
export const CarSchema = SchemaFactory.createForClass(CarEntity);
CarSchema.plugin(tenantScopedPlugin);
CarSchema.plugin(softDeletePlugin);
// One live car per registration number and organization; also GET /cars sorted by registration.
CarSchema.index({ organizationId: 1, registration: 1, deletedAt: 1 }, { unique: true });
