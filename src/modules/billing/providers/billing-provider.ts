import type { BillingPolicy } from '../policy/billing.policy';
import type { BillingProviderName, BillingState, Transition } from '../accounts/billing.state';

/** An invoice as a provider reports it; stored in `billing_invoices` (unique `invoiceId`). */
export interface ProviderInvoice {
  /** Fortnox invoice number (manual) or the Stripe invoice number/id. */
  invoiceId: string;
  /** Integer minor units (öre). */
  amount: number;
  currency: string;
  /** Calendar date `YYYY-MM-DD` (Stockholm); null: the day it is recorded. */
  dueDate: string | null;
  status: 'open' | 'paid';
  /** For a paid invoice; null: the moment it is recorded. */
  paidAt: Date | null;
}

/**
 * What a provider wants done to one organization's account. Every provider maps its input onto the same account
 * fields (plan, billingStatus, periodEnd, graceUntil, trialEnd) through a `Transition`, so access, banners, the
 * daily job and the admin portal never need to know where a change came from.
 */
export interface ProviderChange {
  /** The organization, when the input names it (Stripe: `metadata.organizationId`). */
  organizationId: string | null;
  /** Stripe subscription id; also used to find the organization when the metadata is missing. */
  externalSubscriptionId: string | null;
  /** The transition on the current state at `now`, or null when the state already matches. */
  transition(current: BillingState, policy: BillingPolicy, now: Date): Transition | null;
  /** An invoice to record (upsert by invoiceId), if the input carries one. */
  invoice: ProviderInvoice | null;
  /** A short English description for the audit log. */
  description: string;
}

/**
 * A billing provider turns its own input (an admin command, a Stripe event) into a `ProviderChange`. `manual` is used
 * now (admins act on Fortnox invoices); `stripe` maps webhook events and is ready for when payments move there.
 */
export interface BillingProvider<Input> {
  readonly name: BillingProviderName;
  /** The change to make, or null when the input is not something this provider acts on. */
  interpret(input: Input): ProviderChange | null;
}
