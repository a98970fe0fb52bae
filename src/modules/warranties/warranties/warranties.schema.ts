import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

@Schema({ collection: 'warranties', timestamps: true, versionKey: false })
export class WarrantyEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** What was bought ("Diskmaskin Bosch SMV6"). */
  @Prop({ type: String, required: true }) item!: string;
  /** The store: a supplier of the organization, or only its name. */
  @Prop({ type: String, default: null }) storeId!: string | null;
  @Prop({ type: String, default: null }) storeName!: string | null;
  @Prop({ type: String, required: true }) purchaseDate!: string;
  /** Öre. */
  @Prop({ type: Number, default: null }) price!: number | null;
  @Prop({ type: String, required: true, default: 'SEK' }) currency!: string;
  /** The length in months when given so ("2 år" = 24); null when only the end date was given. */
  @Prop({ type: Number, default: null }) lengthMonths!: number | null;
  /** The last day the warranty covers. */
  @Prop({ type: String, required: true }) endDate!: string;
  /** The purchase it came from and the receipt, when created from them. */
  @Prop({ type: String, default: null }) transactionId!: string | null;
  @Prop({ type: String, default: null }) receiptUploadId!: string | null;
  @Prop({ type: [Number], default: null }) reminderLeadDays!: number[] | null;
  @Prop({ type: String, default: null }) notes!: string | null;
}
export type WarrantyDoc = WarrantyEntity & BaseDoc & SoftDeleteFields & { organizationId: string };
export const WarrantySchema = SchemaFactory.createForClass(WarrantyEntity);
WarrantySchema.plugin(tenantScopedPlugin);
WarrantySchema.plugin(softDeletePlugin);
// GET /warranties: by end date (keyset on endDate, _id); the expiring list and the reminder source filter on it.
WarrantySchema.index({ organizationId: 1, endDate: 1, _id: 1 });
