import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

/**
 * An organization's categorization settings; `_id` is the organization id (read by `_id` equality). No document:
 * the defaults (on, threshold DEFAULT_AUTO_THRESHOLD).
 */
@Schema({ collection: 'ai_categorization_settings', timestamps: true, versionKey: false })
export class AiSettingsEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** Apply the top category automatically to created and imported transactions at or above the threshold. */
  @Prop({ type: Boolean, required: true }) autoApply!: boolean;
  /** Confidence 0.5–1 at or above which a category is applied automatically. */
  @Prop({ type: Number, required: true }) threshold!: number;
}
export type AiSettingsDoc = AiSettingsEntity & BaseDoc & { organizationId: string };
export const AiSettingsSchema = SchemaFactory.createForClass(AiSettingsEntity);
AiSettingsSchema.plugin(tenantScopedPlugin);

export const SUGGESTION_SUBJECTS = ['transaction', 'bank_line'] as const;
export type SuggestionSubject = (typeof SUGGESTION_SUBJECTS)[number];

export interface StoredRanked {
  categoryId: string;
  confidence: number;
  reasons: { sv: string; en: string }[];
}

/**
 * The categorization of a created or imported transaction (or an imported bank line): `_id` is that record's global
 * id, so there is one per record. `applied`: the top category was set on the transaction automatically; otherwise
 * it is a suggestion for the front end (`GET /ai/suggestions`). Written once when the record arrives; kept while
 * the record lives (a few hundred bytes each).
 */
@Schema({ collection: 'ai_category_suggestions', timestamps: true, versionKey: false, minimize: false })
export class AiSuggestionEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, enum: SUGGESTION_SUBJECTS, required: true }) subject!: SuggestionSubject;
  @Prop({ type: [Object], default: [] }) ranked!: StoredRanked[];
  @Prop({ type: Object, required: true }) merchant!: { key: string; name: string };
  @Prop({ type: Boolean, required: true }) applied!: boolean;
  /** The threshold in force when it was made. */
  @Prop({ type: Number, required: true }) threshold!: number;
}
export type AiSuggestionDoc = AiSuggestionEntity & BaseDoc & { organizationId: string };
export const AiSuggestionSchema = SchemaFactory.createForClass(AiSuggestionEntity);
AiSuggestionSchema.plugin(tenantScopedPlugin);
// Suggestions are read by `_id` equality (one per record id, byEachId); no other index is needed.
