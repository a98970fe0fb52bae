import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import { declareCrossTenant } from '../../../infrastructure/mongo/plugins';
import { BILLING_PROVIDERS, type BillingProviderName } from '../accounts/billing.state';

/** Invoices of WestWallet to an organization (Fortnox numbers; Stripe invoice numbers later). `_id` is a global id. */
@Schema({ collection: 'billing_invoices', timestamps: true, versionKey: false })
export class BillingInvoiceEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) organizationId!: string;
  @Prop({ type: String, required: true }) invoiceId!: string;
  @Prop({ type: Number, required: true }) amount!: number;
  @Prop({ type: String, default: 'SEK' }) currency!: string;
  @Prop({ type: String, required: true }) dueDate!: string;
  @Prop({ type: String, enum: ['open', 'paid'], required: true }) status!: 'open' | 'paid';
  @Prop({ type: Date, default: null }) paidAt!: Date | null;
  @Prop({ type: String, enum: BILLING_PROVIDERS, default: 'manual' }) provider!: BillingProviderName;
  /** Who registered it: a platform admin's user id, or null (Stripe). */
  @Prop({ type: String, default: null }) createdBy!: string | null;
}
export type BillingInvoiceDoc = BillingInvoiceEntity & BaseDoc;
export const BillingInvoiceSchema = SchemaFactory.createForClass(BillingInvoiceEntity);
declareCrossTenant(
  BillingInvoiceSchema,
  "invoices of any organization are the platform admins' to read (billing-admin); the tenant side names its organization",
);
// a Fortnox number exists once: registering it twice is a 409; mark-paid finds it by number
BillingInvoiceSchema.index({ invoiceId: 1 }, { unique: true });
// an organization's payment history, newest first; its open invoices
BillingInvoiceSchema.index({ organizationId: 1, createdAt: -1 });
// The admin overview's revenue of a month: paid invoices by payment time.
BillingInvoiceSchema.index({ status: 1, paidAt: 1 });
