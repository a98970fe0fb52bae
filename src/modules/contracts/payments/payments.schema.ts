import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

/**
 * What one scheduled payment of a contract actually cost (electricity, water: a different amount every time),
 * and the transaction or bill that paid it. Keyed by the scheduled day it belongs to.
 */
@Schema({ collection: 'contract_payments', timestamps: true, versionKey: false })
export class ContractPaymentEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) contractId!: string;
  /** The scheduled payment day (one of the contract's payment dates). */
  @Prop({ type: String, required: true }) date!: string;
  /** Öre. */
  @Prop({ type: Number, required: true }) amount!: number;
  @Prop({ type: String, default: null }) transactionId!: string | null;
  @Prop({ type: String, default: null }) billId!: string | null;
  @Prop({ type: String, default: null }) note!: string | null;
}
export type ContractPaymentDoc = ContractPaymentEntity &
  BaseDoc &
  SoftDeleteFields & { organizationId: string };
export const ContractPaymentSchema = SchemaFactory.createForClass(ContractPaymentEntity);
ContractPaymentSchema.plugin(tenantScopedPlugin);
ContractPaymentSchema.plugin(softDeletePlugin);
// One live actual per scheduled day of a contract; also a contract's payments by day.
ContractPaymentSchema.index({ organizationId: 1, contractId: 1, date: 1, deletedAt: 1 }, { unique: true });
