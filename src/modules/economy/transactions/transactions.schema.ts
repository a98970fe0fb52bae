import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

export const TRANSACTION_SOURCES = ['manual', 'import', 'bank'] as const;
export type TransactionSource = (typeof TRANSACTION_SOURCES)[number];

@Schema({ collection: 'transactions', timestamps: true, versionKey: false })
export class TransactionEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** Calendar date `YYYY-MM-DD`. */
  @Prop({ type: String, required: true }) date!: string;
  /** `YYYY-MM` of `date`: what monthly statistics group on. */
  @Prop({ type: String, required: true }) period!: string;
  /** Öre, > 0; the direction is `type`. */
  @Prop({ type: Number, required: true }) amount!: number;
  @Prop({ type: String, enum: ['income', 'expense'], required: true }) type!: 'income' | 'expense';
  @Prop({ type: String, required: true, default: 'SEK' }) currency!: string;
  @Prop({ type: String, required: true }) description!: string;
  @Prop({ type: String, default: null }) note!: string | null;
  /** Lower-cased description + note: the field the text filter's regex runs on. */
  @Prop({ type: String, required: true }) textKey!: string;
  @Prop({ type: String, default: null }) supplierId!: string | null;
  @Prop({ type: String, default: null }) categoryId!: string | null;
  /** Normalized lower-case. */
  @Prop({ type: [String], default: [] }) tags!: string[];
  @Prop({ type: String, enum: TRANSACTION_SOURCES, required: true }) source!: TransactionSource;
  /** The bank line this transaction is matched with; null when not linked. */
  @Prop({ type: String, default: null }) bankLineId!: string | null;
  @Prop({ type: String, default: null }) createdBy!: string | null;
}
export type TransactionDoc = TransactionEntity & BaseDoc & SoftDeleteFields & { organizationId: string };
export const TransactionSchema = SchemaFactory.createForClass(TransactionEntity);
TransactionSchema.plugin(tenantScopedPlugin);
TransactionSchema.plugin(softDeletePlugin);
// The list's default order (date desc, keyset on date,_id) and its date-range filter; the statistics' and the
// dashboard's $match on a date range.
TransactionSchema.index({ organizationId: 1, date: -1, _id: -1 });
// The list sorted by amount (keyset on amount,_id) and the amount-range filter.
TransactionSchema.index({ organizationId: 1, amount: -1, _id: -1 });
// Filter "category incl. children" ($in), category delete counts and moves.
TransactionSchema.index({ organizationId: 1, categoryId: 1, date: -1 });
// Filter by supplier (newest first).
TransactionSchema.index({ organizationId: 1, supplierId: 1, date: -1 });
// Filter by tag (multikey).
TransactionSchema.index({ organizationId: 1, tags: 1, date: -1 });
// Bank matching: unlinked transactions (bankLineId null) in an amount bucket, then the date window.
TransactionSchema.index({ organizationId: 1, bankLineId: 1, amount: 1, date: 1 });
