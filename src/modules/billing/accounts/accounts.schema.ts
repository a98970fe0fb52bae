import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import {
  BILLING_PROVIDERS,
  BILLING_STATUSES,
  PLANS,
  type BillingProviderName,
  type BillingStatus,
  type Plan,
} from './billing.state';

/** The organization's billing contact and invoice address (PATCH /billing/details). */
export interface BillingDetails {
  contactName: string | null;
  contactEmail: string | null;
  /** Organisationsnummer `NNNNNN-NNNN` (Luhn-checked), for associations and companies. */
  organizationNumber: string | null;
  address: {
    line1: string;
    line2: string | null;
    postalCode: string;
    city: string;
    country: string;
  } | null;
  /** "Er referens" on the invoice. */
  reference: string | null;
}

/** Summary of the newest invoice, kept on the account so the admin list needs no join for it. */
export interface LatestInvoice {
  invoiceId: string;
  amount: number;
  currency: string;
  dueDate: string;
  status: 'open' | 'paid';
  paidAt: Date | null;
}

/**
 * One per organization that has ever had a billing change; `_id` is the organization id. An organization without
 * one is on the policy's sign-up plan. test/helpers/billing.ts (`activatePro`) writes this collection directly:
 * fields it does not set must have safe defaults (periodPaid → true, provider → manual).
 */
@Schema({ collection: 'billing_accounts', timestamps: true, versionKey: false })
export class BillingAccountEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, enum: PLANS, required: true }) plan!: Plan;
  @Prop({ type: String, enum: BILLING_STATUSES, required: true }) billingStatus!: BillingStatus;
  @Prop({ type: Date, default: null }) periodEnd!: Date | null;
  @Prop({ type: Date, default: null }) graceUntil!: Date | null;
  @Prop({ type: Date, default: null }) trialEnd!: Date | null;
  @Prop({ type: Boolean, default: true }) periodPaid!: boolean;
  @Prop({ type: String, enum: BILLING_PROVIDERS, default: 'manual' }) provider!: BillingProviderName;
  @Prop({ type: String, default: null }) externalSubscriptionId!: string | null;
  @Prop({ type: Object, default: null }) latestInvoice!: LatestInvoice | null;
  @Prop({ type: Object, default: null }) details!: BillingDetails | null;
}
export type BillingAccountDoc = BillingAccountEntity & BaseDoc;
export const BillingAccountSchema = SchemaFactory.createForClass(BillingAccountEntity);
// the daily job: accounts that can change on their own (pro, trial), in _id order
BillingAccountSchema.index({ plan: 1, _id: 1 });
// the Stripe webhook: the account of a subscription when the event has no organizationId metadata
BillingAccountSchema.index({ externalSubscriptionId: 1 });
// the admin list sorted by a date (GET /admin/billing/accounts?sort=periodEnd|graceUntil|trialEnd)
BillingAccountSchema.index({ periodEnd: 1, _id: 1 });
BillingAccountSchema.index({ graceUntil: 1, _id: 1 });
BillingAccountSchema.index({ trialEnd: 1, _id: 1 });
