import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

export const CATEGORY_KINDS = ['income', 'expense'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

@Schema({ collection: 'categories', timestamps: true, versionKey: false })
export class CategoryEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) name!: string;
  /** `normalizeKey(name)`: sibling names are unique case-insensitively. */
  @Prop({ type: String, required: true }) nameKey!: string;
  @Prop({ type: String, enum: CATEGORY_KINDS, required: true }) kind!: CategoryKind;
  @Prop({ type: String, default: null }) parentId!: string | null;
  /** BAS account number (4 digits), for bookkeeping. */
  @Prop({ type: String, default: null }) basAccount!: string | null;
  /** Key of the default category this was created from (`category-defaults.ts`), null for user-made ones. */
  @Prop({ type: String, default: null }) defaultKey!: string | null;
}
export type CategoryDoc = CategoryEntity & BaseDoc & SoftDeleteFields & { organizationId: string };
export const CategorySchema = SchemaFactory.createForClass(CategoryEntity);
CategorySchema.plugin(tenantScopedPlugin);
CategorySchema.plugin(softDeletePlugin);
// Sibling names unique per organization and kind among live categories (deleted ones differ in deletedAt), and the
// "all categories of an organization" load (prefix organizationId) that every tree walk starts from.
CategorySchema.index({ organizationId: 1, kind: 1, parentId: 1, nameKey: 1, deletedAt: 1 }, { unique: true });

/**
 * Marks that an organization's default categories were created, so a default the user deleted later is not
 * created again. `_id` = organization id (the lookup is an `_id` equality).
 */
@Schema({ collection: 'category_seeds', timestamps: true, versionKey: false })
export class CategorySeedEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) orgType!: string;
  @Prop({ type: Number, required: true }) count!: number;
}
export type CategorySeedDoc = CategorySeedEntity & BaseDoc & { organizationId: string };
export const CategorySeedSchema = SchemaFactory.createForClass(CategorySeedEntity);
CategorySeedSchema.plugin(tenantScopedPlugin);
