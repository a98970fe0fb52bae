import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { CarEventType, FuelType, QuantityUnit } from '../common/car-kinds';

@Schema({ collection: 'car_events', timestamps: true, versionKey: false })
export class CarEventEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) carId!: string;
  @Prop({ type: String, required: true }) type!: CarEventType;
  @Prop({ type: String, required: true }) date!: string;
  /** `YYYY-MM` of `date`: what monthly statistics group on. */
  @Prop({ type: String, required: true }) period!: string;
  /** Kilometres, whatever the car's odometer unit. */
  @Prop({ type: Number, default: null }) odometerKm!: number | null;
  /** Öre, ≥ 0. */
  @Prop({ type: Number, required: true }) cost!: number;
  @Prop({ type: String, required: true, default: 'SEK' }) currency!: string;
  /** Fuel: litres or kWh filled, whether the tank was filled up, the fuel and the station. */
  @Prop({ type: Number, default: null }) quantity!: number | null;
  @Prop({ type: String, default: null }) quantityUnit!: QuantityUnit | null;
  @Prop({ type: Boolean, default: false }) fullTank!: boolean;
  @Prop({ type: String, default: null }) fuelType!: FuelType | null;
  @Prop({ type: String, default: null }) station!: string | null;
  @Prop({ type: String, default: null }) notes!: string | null;
  /** Confirmed despite the plausibility guard: the reason it was questioned. */
  @Prop({ type: String, default: null }) flag!: string | null;
}
export type CarEventDoc = CarEventEntity & BaseDoc & SoftDeleteFields & { organizationId: string };
export const CarEventSchema = SchemaFactory.createForClass(CarEventEntity);
CarEventSchema.plugin(tenantScopedPlugin);
CarEventSchema.plugin(softDeletePlugin);
// A car's events newest first (keyset on date, _id), its readings for the guard, its statistics.
CarEventSchema.index({ organizationId: 1, carId: 1, date: -1, _id: -1 });
// Monthly cost statistics of a car.
CarEventSchema.index({ organizationId: 1, carId: 1, period: 1 });
