import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../infrastructure/mongo/repositories';
import { AFTER_GRACE, FREE_ACCESS, SIGN_UP_PLANS, type BillingPolicy } from './billing.policy';
import {
  BILLING_PROVIDERS,
  BILLING_STATUSES,
  PLANS,
  type BillingProviderName,
  type BillingStatus,
  type Plan,
} from './billing.state';
import { declareCrossTenant } from '../../infrastructure/mongo/plugins';

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

/** The policy: a single document `_id: 'current'`; absent → defaults. */
@Schema({ collection: 'billing_policy', timestamps: true, versionKey: false })
export class BillingPolicyEntity implements BillingPolicy {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Number, required: true }) periodDays!: number;
  @Prop({ type: Number, required: true }) graceDays!: number;
  @Prop({ type: Number, required: true }) trialDays!: number;
  @Prop({ type: String, enum: SIGN_UP_PLANS, required: true }) signUpPlan!: BillingPolicy['signUpPlan'];
  @Prop({ type: String, enum: AFTER_GRACE, required: true }) afterGrace!: BillingPolicy['afterGrace'];
  @Prop({ type: String, enum: FREE_ACCESS, required: true }) freeAccess!: BillingPolicy['freeAccess'];
  @Prop({ type: Number, required: true }) periodReminderDays!: number;
  @Prop({ type: Number, required: true }) graceReminderDays!: number;
  @Prop({ type: Number, required: true }) trialReminderDays!: number;
  @Prop({ type: String, default: null }) updatedBy!: string | null;
}
export type BillingPolicyDoc = BillingPolicyEntity & BaseDoc;
export const BillingPolicySchema = SchemaFactory.createForClass(BillingPolicyEntity);

/**
 * Notices sent (transition mails, reminders). `_id` is `<organizationId>:<key>` (e.g. `A000123:trial_ending:<iso>`):
 * inserting it claims the notice, so a reminder or an automatic transition is mailed and audited once even when the
 * daily job and the admin trigger run at the same time.
 */
@Schema({ collection: 'billing_notices', versionKey: false })
export class BillingNoticeEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) organizationId!: string;
  @Prop({ type: String, enum: ['transition', 'reminder'], required: true }) type!: 'transition' | 'reminder';
  @Prop({ type: String, required: true }) kind!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}
export type BillingNoticeDoc = BillingNoticeEntity;
export const BillingNoticeSchema = SchemaFactory.createForClass(BillingNoticeEntity);
declareCrossTenant(
  BillingNoticeSchema,
  'notices are written by the daily billing run across organizations; _id starts with the organization',
);
// the admin account detail: notices of one organization, newest first
BillingNoticeSchema.index({ organizationId: 1, at: -1 });

/** Admin invitations of a customer to a plan. The token is mailed; only its sha256 is stored. */
@Schema({ collection: 'billing_invitations', timestamps: true, versionKey: false })
export class BillingInvitationEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) email!: string;
  @Prop({ type: String, enum: ['pro', 'trial'], required: true }) plan!: 'pro' | 'trial';
  @Prop({ type: String, required: true }) tokenHash!: string;
  @Prop({ type: String, required: true }) invitedBy!: string;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) acceptedAt!: Date | null;
  @Prop({ type: String, default: null }) acceptedBy!: string | null;
  /** The organization that got the plan. */
  @Prop({ type: String, default: null }) organizationId!: string | null;
}
export type BillingInvitationDoc = BillingInvitationEntity & BaseDoc;
export const BillingInvitationSchema = SchemaFactory.createForClass(BillingInvitationEntity);
declareCrossTenant(
  BillingInvitationSchema,
  'platform admin invitations; accepted by the invited user, not inside an organization',
);
// pending invitations of an address (applied when that address verifies or accepts)
BillingInvitationSchema.index({ email: 1 });
// accept by token
BillingInvitationSchema.index({ tokenHash: 1 }, { unique: true });

/** Stripe events seen: the unique `_id` (the event id) makes a redelivered event a no-op. */
@Schema({ collection: 'billing_stripe_events', versionKey: false })
export class StripeEventEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) type!: string;
  @Prop({ type: Date, required: true }) receivedAt!: Date;
  @Prop({ type: String, default: null }) outcome!: string | null;
  @Prop({ type: String, default: null }) organizationId!: string | null;
}
export const StripeEventSchema = SchemaFactory.createForClass(StripeEventEntity);
declareCrossTenant(StripeEventSchema, 'webhook events arrive from Stripe before any organization is known');
