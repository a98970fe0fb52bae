import { Injectable } from '@nestjs/common';
import { isSupportedInstant, midnightAfterDays, stockholmDate } from '../common/billing.dates';
import type { BillingPolicy } from '../policy/billing.policy';
import {
  applyPayment,
  sameState,
  type BillingState,
  type Transition,
  type TransitionKind,
} from '../accounts/billing.state';
import type { BillingProvider, ProviderChange, ProviderInvoice } from './billing-provider';

/** The part of a Stripe event we read. Objects are read defensively: Stripe API versions move fields around. */
export interface StripeEvent {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

export const STRIPE_EVENT_TYPES = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;

type Obj = Record<string, unknown>;

const obj = (value: unknown): Obj =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
/** Unix seconds → Date; absent, garbage or out of the supported years (see isSupportedInstant) → null. */
const epoch = (value: unknown): Date | null => {
  const n = num(value);
  if (n === null) return null;
  const date = new Date(n * 1000);
  return isSupportedInstant(date) ? date : null;
};
const list = (value: unknown): Obj[] => {
  const data = obj(value).data;
  return Array.isArray(data) ? data.map(obj) : [];
};
const latest = (dates: (Date | null)[]): Date | null =>
  dates.reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null);

/** `metadata.organizationId` on an object, or null. */
const orgOf = (o: Obj): string | null => str(obj(o.metadata).organizationId);

/** The period end of a subscription: top level (API < 2025-03-31) or on its items (newer versions). */
function subscriptionPeriodEnd(sub: Obj): Date | null {
  return (
    epoch(sub.current_period_end) ?? latest(list(sub.items).map((item) => epoch(item.current_period_end)))
  );
}

function subscriptionPeriodStart(sub: Obj): Date | null {
  return (
    epoch(sub.current_period_start) ?? latest(list(sub.items).map((item) => epoch(item.current_period_start)))
  );
}

/** A transition from `from` to `to` of the given kind, or null when nothing changes. */
function towards(
  from: BillingState,
  to: BillingState,
  kind: TransitionKind,
  reason: string,
  eventId: string,
): Transition | null {
  return sameState(from, to) ? null : { kind, key: `stripe:${eventId}`, reason, from, to };
}

/**
 * Maps Stripe webhook events onto the account fields. The organization is `metadata.organizationId` on the
 * subscription (or on the invoice, or on its subscription details); failing that, the account whose
 * `externalSubscriptionId` is the event's subscription.
 *
 * - subscription created/updated: `active` → pro + active, periodEnd = current_period_end; `trialing` → trial until
 *   trial_end; `past_due` → pro + past_due, grace from the paid-through date (the paid period is honoured);
 *   `unpaid` → the after-grace fallback of the policy; `canceled`/`incomplete_expired` → free. `incomplete` and
 *   `paused` change nothing.
 * - subscription deleted → free.
 * - invoice.paid (amount > 0) → pro + active until the end of the invoiced period (else the payment rule);
 *   the invoice is recorded as paid.
 * - invoice.payment_failed → a Pro account becomes past_due with grace; the invoice is recorded as open.
 */
@Injectable()
export class StripeBillingProvider implements BillingProvider<StripeEvent> {
  readonly name = 'stripe' as const;

  interpret(event: StripeEvent): ProviderChange | null {
    const o = obj(event.data?.object);
    switch (event.type) {
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
        return this.subscriptionChanged(event, o);
      case 'customer.subscription.deleted':
        return this.subscriptionDeleted(event, o);
      case 'invoice.paid':
        return this.invoicePaid(event, o);
      case 'invoice.payment_failed':
        return this.invoiceFailed(event, o);
      default:
        return null;
    }
  }

  private subscriptionChanged(event: StripeEvent, sub: Obj): ProviderChange | null {
    const status = str(sub.status);
    const periodEnd = subscriptionPeriodEnd(sub);
    const base = { organizationId: orgOf(sub), externalSubscriptionId: str(sub.id), invoice: null };
    const describe = `Stripe ${event.type} (${event.id}): subscription ${status ?? 'unknown'}`;
    switch (status) {
      case 'active':
        return {
          ...base,
          description: describe,
          transition: (s) =>
            towards(
              s,
              {
                plan: 'pro',
                billingStatus: 'active',
                periodEnd: periodEnd ?? s.periodEnd,
                graceUntil: null,
                trialEnd: null,
                periodPaid: true,
              },
              s.plan === 'pro' ? 'payment_received' : 'pro_started',
              `${describe}; Pro until ${periodEnd ? stockholmDate(periodEnd) : 'unchanged'}`,
              event.id,
            ),
        };
      case 'trialing': {
        const trialEnd = epoch(sub.trial_end) ?? periodEnd;
        return {
          ...base,
          description: describe,
          transition: (s) =>
            towards(
              s,
              { ...s, plan: 'trial', billingStatus: 'active', trialEnd, graceUntil: null },
              'trial_started',
              `${describe}; trial until ${trialEnd ? stockholmDate(trialEnd) : 'open'}`,
              event.id,
            ),
        };
      }
      case 'past_due':
        return {
          ...base,
          description: describe,
          transition: (s, policy) =>
            this.pastDue(s, policy, s.periodEnd ?? subscriptionPeriodStart(sub), describe, event.id),
        };
      case 'unpaid':
        return {
          ...base,
          description: describe,
          transition: (s, policy) =>
            towards(
              s,
              {
                ...s,
                plan: 'free',
                billingStatus: policy.afterGrace === 'free_suspended' ? 'suspended' : 'active',
                graceUntil: null,
              },
              'grace_expired',
              `${describe}; Stripe gave up collecting: after-grace fallback ${policy.afterGrace}`,
              event.id,
            ),
        };
      case 'canceled':
      case 'incomplete_expired':
        return this.subscriptionDeleted(event, sub);
      case null:
      default:
        return null;
    }
  }

  private subscriptionDeleted(event: StripeEvent, sub: Obj): ProviderChange {
    const describe = `Stripe ${event.type} (${event.id}): subscription ended`;
    return {
      organizationId: orgOf(sub),
      externalSubscriptionId: str(sub.id),
      invoice: null,
      description: describe,
      transition: (s) =>
        towards(
          s,
          { ...s, plan: 'free', billingStatus: 'active', graceUntil: null, trialEnd: null },
          'downgraded',
          describe,
          event.id,
        ),
    };
  }

  private invoicePaid(event: StripeEvent, inv: Obj): ProviderChange | null {
    const amount = num(inv.amount_paid) ?? 0;
    if (amount <= 0) return null; // e.g. the 0-amount invoice that opens a trial: no payment, no change
    const paidAt = epoch(obj(inv.status_transitions).paid_at);
    const lineEnd = latest(list(inv.lines).map((line) => epoch(obj(line.period).end)));
    const describe = `Stripe ${event.type} (${event.id}): invoice ${this.invoiceNumber(inv)} paid`;
    return {
      ...this.invoiceRefs(inv),
      invoice: this.invoice(inv, 'paid', amount, paidAt),
      description: describe,
      transition: (s, policy, now) => {
        if (lineEnd) {
          return towards(
            s,
            {
              plan: 'pro',
              billingStatus: 'active',
              periodEnd: lineEnd,
              graceUntil: null,
              trialEnd: null,
              periodPaid: true,
            },
            'payment_received',
            `${describe}; Pro until ${stockholmDate(lineEnd)}`,
            event.id,
          );
        }
        const t = applyPayment(s, policy, paidAt ?? now, describe);
        return { ...t, key: `stripe:${event.id}` };
      },
    };
  }

  private invoiceFailed(event: StripeEvent, inv: Obj): ProviderChange {
    const describe = `Stripe ${event.type} (${event.id}): payment of invoice ${this.invoiceNumber(inv)} failed`;
    return {
      ...this.invoiceRefs(inv),
      invoice: this.invoice(inv, 'open', num(inv.amount_due) ?? 0, null),
      description: describe,
      transition: (s, policy, now) =>
        s.plan === 'pro' ? this.pastDue(s, policy, s.periodEnd ?? now, describe, event.id) : null,
    };
  }

  /** Pro stays a customer while past due: grace counts from the paid-through date. */
  private pastDue(
    s: BillingState,
    policy: BillingPolicy,
    paidThrough: Date | null,
    describe: string,
    eventId: string,
  ): Transition | null {
    if (s.plan === 'pro' && s.billingStatus === 'past_due') return null;
    const periodEnd = paidThrough ?? s.periodEnd;
    const graceUntil = periodEnd ? midnightAfterDays(periodEnd, policy.graceDays) : null;
    return towards(
      s,
      { ...s, plan: 'pro', billingStatus: 'past_due', periodEnd, graceUntil, trialEnd: null },
      'past_due',
      `${describe}; full access in grace until ${graceUntil ? stockholmDate(graceUntil) : 'further notice'}`,
      eventId,
    );
  }

  private invoiceRefs(inv: Obj): { organizationId: string | null; externalSubscriptionId: string | null } {
    const parentDetails = obj(obj(inv.parent).subscription_details);
    const subscriptionDetails = obj(inv.subscription_details);
    const firstLine = list(inv.lines)[0] ?? {};
    return {
      organizationId: orgOf(inv) ?? orgOf(subscriptionDetails) ?? orgOf(parentDetails) ?? orgOf(firstLine),
      externalSubscriptionId:
        str(inv.subscription) ?? str(obj(inv.subscription).id) ?? str(parentDetails.subscription),
    };
  }

  private invoiceNumber(inv: Obj): string {
    return str(inv.number) ?? str(inv.id) ?? 'unknown';
  }

  private invoice(
    inv: Obj,
    status: 'open' | 'paid',
    amount: number,
    paidAt: Date | null,
  ): ProviderInvoice | null {
    const number = str(inv.number) ?? str(inv.id);
    if (!number) return null;
    const due = epoch(inv.due_date) ?? epoch(inv.created) ?? paidAt;
    return {
      invoiceId: number,
      amount: Math.round(amount),
      currency: (str(inv.currency) ?? 'sek').toUpperCase(),
      dueDate: due ? stockholmDate(due) : null,
      status,
      paidAt: status === 'paid' ? (paidAt ?? due) : null,
    };
  }
}
