import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { ContractKind } from './contract-kinds';

/** One step of the price history: the amount per period (öre) from `from` on. */
export interface PriceStepDoc {
  from: string;
  amount: number;
}

@Schema({ collection: 'contracts', timestamps: true, versionKey: false })
export class ContractEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) name!: string;
  /** `normalizeKey(name)`: the list's sort and search. Not unique: two "Netflix" contracts may exist. */
  @Prop({ type: String, required: true }) nameKey!: string;
  @Prop({ type: String, required: true }) kind!: ContractKind;
  /** The provider: a supplier of the organization (bank lines paying it are suggested for the contract). */
  @Prop({ type: String, default: null }) providerId!: string | null;
  @Prop({ type: String, default: null }) categoryId!: string | null;
  @Prop({ type: String, required: true, default: 'SEK' }) currency!: string;
  /** Paid every `frequencyEvery` weeks or months from `startDate`. */
  @Prop({ type: String, required: true }) frequencyUnit!: 'week' | 'month';
  @Prop({ type: Number, required: true }) frequencyEvery!: number;
  /** Sorted by `from`, distinct `from`s; the first step starts on `startDate`. */
  @Prop({ type: [{ _id: false, from: String, amount: Number }], default: [] }) prices!: PriceStepDoc[];
  /** The amount differs per payment (electricity, water): `prices` is the estimate. */
  @Prop({ type: Boolean, default: false }) variableAmount!: boolean;
  @Prop({ type: String, required: true }) startDate!: string;
  @Prop({ type: Number, required: true, default: 0 }) bindingMonths!: number;
  @Prop({ type: String, default: null }) noticeUnit!: 'day' | 'month' | null;
  @Prop({ type: Number, default: 0 }) noticeCount!: number;
  /** Renews for this many months at a time after the binding period; null: runs on until further notice. */
  @Prop({ type: Number, default: null }) renewalMonths!: number | null;
  /** The day notice was given (`POST /contracts/{id}/cancel`). */
  @Prop({ type: String, default: null }) cancelledOn!: string | null;
  /** The last day the contract runs; null while it runs on. */
  @Prop({ type: String, default: null }) endDate!: string | null;
  @Prop({ type: String, default: null }) notes!: string | null;
  /** Days before a deadline (last day to cancel, renewal, price change) to be reminded; null: 30 and 7. */
  @Prop({ type: [Number], default: null }) reminderLeadDays!: number[] | null;
}
export type ContractDoc = ContractEntity & BaseDoc & SoftDeleteFields & { organizationId: string };
export const ContractSchema = SchemaFactory.createForClass(ContractEntity);
ContractSchema.plugin(tenantScopedPlugin);
ContractSchema.plugin(softDeletePlugin);
// GET /contracts: sorted by name (keyset on nameKey, _id); `q` is a regex over nameKey.
ContractSchema.index({ organizationId: 1, nameKey: 1, _id: 1 });
// Status filters (endDate null = active, compared with today for ending/ended) and the statistics' running set.
ContractSchema.index({ organizationId: 1, endDate: 1 });
// Contracts of one provider (bank lines paying it, a supplier's page).
ContractSchema.index({ organizationId: 1, providerId: 1 });
