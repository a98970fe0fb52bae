import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { PolicyType, PremiumPeriod } from '../common/policy-kinds';

@Schema({ collection: 'insurance_policies', timestamps: true, versionKey: false })
export class InsurancePolicyEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** The insurer as a supplier of the organization, or … */
  @Prop({ type: String, default: null }) insurerId!: string | null;
  /** … its name as free text when it is no supplier (exactly one of the two is set). */
  @Prop({ type: String, default: null }) insurerName!: string | null;
  /** FieldCrypto (AES-256-GCM, aad `insurance_policies.<id>.policyNumber`); never stored or audited in plain text. */
  @Prop({ type: String, default: null }) policyNumberEnc!: string | null;
  @Prop({ type: String, required: true }) type!: PolicyType;
  /** Öre per premium period; null: included elsewhere or unknown (counts as 0). */
  @Prop({ type: Number, default: null }) premium!: number | null;
  @Prop({ type: String, required: true, default: 'yearly' }) premiumPeriod!: PremiumPeriod;
  @Prop({ type: String, required: true, default: 'SEK' }) currency!: string;
  /** Huvudförfallodag: the day the policy renews (a calendar date; passed ones roll on a year at a time). */
  @Prop({ type: String, default: null }) renewalDate!: string | null;
  @Prop({ type: String, default: null }) coverageText!: string | null;
  /** Öre: the sum insured (försäkringsbelopp). */
  @Prop({ type: Number, default: null }) coverageAmount!: number | null;
  /** Självrisk in öre. */
  @Prop({ type: Number, default: null }) deductible!: number | null;
  /** The car it covers (a car of the organization) or … */
  @Prop({ type: String, default: null }) carId!: string | null;
  /** … the item, as free text ("Villan på Storgatan 1", "Hunden Sixten"). */
  @Prop({ type: String, default: null }) item!: string | null;
  @Prop({ type: String, default: null }) notes!: string | null;
  @Prop({ type: [Number], default: null }) reminderLeadDays!: number[] | null;
}
export type InsurancePolicyDoc = InsurancePolicyEntity &
  BaseDoc &
  SoftDeleteFields & { organizationId: string };
export const InsurancePolicySchema = SchemaFactory.createForClass(InsurancePolicyEntity);
InsurancePolicySchema.plugin(tenantScopedPlugin);
InsurancePolicySchema.plugin(softDeletePlugin);
// GET /insurance?type= and the whole list by type (keyset on type, _id).
InsurancePolicySchema.index({ organizationId: 1, type: 1, _id: 1 });
