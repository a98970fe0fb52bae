import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

/**
 * Bank accounts. Tenant data: `tenantScopedPlugin` adds a required `organizationId` and refuses unscoped queries.
 * Each index names the query it serves.
 */

type Tenant = { organizationId: string };

@Schema({ collection: 'bank_accounts', timestamps: true, versionKey: false })
export class BankAccountEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) name!: string;
  @Prop({ type: String, default: '' }) bank!: string;
  /** AES-256-GCM (FieldCrypto), aad `bank_accounts.<id>.clearingNumber`. */
  @Prop({ type: String, required: true }) clearingNumberEnc!: string;
  /** AES-256-GCM (FieldCrypto), aad `bank_accounts.<id>.accountNumber`. */
  @Prop({ type: String, required: true }) accountNumberEnc!: string;
  @Prop({ type: String, default: 'SEK' }) currency!: string;
  /** BAS account the bank account is booked on (1930 by default). */
  @Prop({ type: String, default: '1930' }) ledgerAccount!: string;
  @Prop({ type: String, required: true }) createdBy!: string;
}
export type BankAccountDoc = BankAccountEntity & BaseDoc & SoftDeleteFields & Tenant;
export const BankAccountSchema = SchemaFactory.createForClass(BankAccountEntity);
BankAccountSchema.plugin(tenantScopedPlugin);
BankAccountSchema.plugin(softDeletePlugin);
// GET /bank/accounts: the organization's accounts, newest first.
BankAccountSchema.index({ organizationId: 1, createdAt: -1, _id: -1 });
