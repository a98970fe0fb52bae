import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

@Schema({ collection: 'suppliers', timestamps: true, versionKey: false })
export class SupplierEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) name!: string;
  /** `normalizeKey(name)`. */
  @Prop({ type: String, required: true }) nameKey!: string;
  /** Organisationsnummer `NNNNNN-NNNN` (Luhn-checked). */
  @Prop({ type: String, default: null }) orgNumber!: string | null;
  /** `NNN-NNNN` / `NNNN-NNNN`. */
  @Prop({ type: String, default: null }) bankgiro!: string | null;
  /** `NNNNNN-N`. */
  @Prop({ type: String, default: null }) plusgiro!: string | null;
  /** The names banks print for this supplier, normalized lower-case. */
  @Prop({ type: [String], default: [] }) aliases!: string[];
  /** `nameKey` plus the aliases: the normalized field name/alias search runs on. */
  @Prop({ type: [String], default: [] }) searchKeys!: string[];
  @Prop({ type: String, default: null }) defaultCategoryId!: string | null;
  /** The supplier's OCR numbers carry a length digit (Bankgirot "variabel längd med längdkontroll"). */
  @Prop({ type: Boolean, default: false }) ocrLengthDigit!: boolean;
}
export type SupplierDoc = SupplierEntity & BaseDoc & SoftDeleteFields & { organizationId: string };
export const SupplierSchema = SchemaFactory.createForClass(SupplierEntity);
SupplierSchema.plugin(tenantScopedPlugin);
SupplierSchema.plugin(softDeletePlugin);
// One live supplier per name and organization; also the list sorted by name (keyset on nameKey, _id).
SupplierSchema.index({ organizationId: 1, nameKey: 1, deletedAt: 1 }, { unique: true });
// GET /suppliers?q= : regex over the normalized name and aliases (multikey).
SupplierSchema.index({ organizationId: 1, searchKeys: 1 });
// Category delete: suppliers whose default category is the one going away.
SupplierSchema.index({ organizationId: 1, defaultCategoryId: 1 });
