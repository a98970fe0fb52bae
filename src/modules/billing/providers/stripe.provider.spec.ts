import { startOfStockholmDay } from '../common/billing.dates';
import { DEFAULT_BILLING_POLICY } from '../policy/billing.policy';
import type { BillingState } from '../accounts/billing.state';
import { StripeBillingProvider, type StripeEvent } from './stripe.provider';

const provider = new StripeBillingProvider();
const policy = DEFAULT_BILLING_POLICY;
const now = new Date('2026-04-01T10:00:00Z');
const epoch = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const event = (type: string, object: Record<string, unknown>, id = 'evt_1'): StripeEvent => ({
  id,
  type,
  data: { object },
});

const free: BillingState = {
  plan: 'free',
  billingStatus: 'active',
  periodEnd: null,
  graceUntil: null,
  trialEnd: null,
  periodPaid: true,
};
const P = new Date('2026-05-01T10:00:00Z');
const pro: BillingState = {
  plan: 'pro',
  billingStatus: 'active',
  periodEnd: P,
  graceUntil: null,
  trialEnd: null,
  periodPaid: true,
};

describe('Stripe provider: events → account fields', () => {
  it('subscription created (active) → pro + active until current_period_end; links org and subscription', () => {
    const change = provider.interpret(
      event('customer.subscription.created', {
        id: 'sub_1',
        status: 'active',
        current_period_end: epoch('2026-05-01T10:00:00Z'),
        metadata: { organizationId: 'A000042' },
      }),
    );
    expect(change).toMatchObject({
      organizationId: 'A000042',
      externalSubscriptionId: 'sub_1',
      invoice: null,
    });
    const t = change?.transition(free, policy, now);
    expect(t).toMatchObject({ kind: 'pro_started', key: 'stripe:evt_1' });
    expect(t?.to).toEqual({ ...pro, periodEnd: P });
    // the same state again: nothing to do
    expect(change?.transition(pro, policy, now)).toBeNull();
  });

  it('reads the period end from the items on newer API versions', () => {
    const change = provider.interpret(
      event('customer.subscription.updated', {
        id: 'sub_1',
        status: 'active',
        items: { data: [{ current_period_end: epoch('2026-06-01T10:00:00Z') }] },
        metadata: { organizationId: 'A000042' },
      }),
    );
    const t = change?.transition(pro, policy, now);
    expect(t).toMatchObject({ kind: 'payment_received' });
    expect(t?.to.periodEnd).toEqual(new Date('2026-06-01T10:00:00Z'));
  });

  it('trialing → trial until trial_end', () => {
    const change = provider.interpret(
      event('customer.subscription.created', {
        id: 'sub_1',
        status: 'trialing',
        trial_end: epoch('2026-04-15T00:00:00Z'),
        metadata: { organizationId: 'A000042' },
      }),
    );
    expect(change?.transition(free, policy, now)?.to).toMatchObject({
      plan: 'trial',
      trialEnd: new Date('2026-04-15T00:00:00Z'),
    });
  });

  it('past_due → pro + past_due, grace from the paid-through date (the paid period is honoured)', () => {
    const change = provider.interpret(
      event('customer.subscription.updated', {
        id: 'sub_1',
        status: 'past_due',
        current_period_start: epoch('2026-05-01T10:00:00Z'),
        current_period_end: epoch('2026-06-01T10:00:00Z'),
        metadata: { organizationId: 'A000042' },
      }),
    );
    const t = change?.transition(pro, policy, now);
    expect(t?.kind).toBe('past_due');
    expect(t?.to).toMatchObject({
      plan: 'pro',
      billingStatus: 'past_due',
      periodEnd: P,
      graceUntil: startOfStockholmDay('2026-05-15'),
    });
    expect(change?.transition(t!.to, policy, now)).toBeNull();
  });

  it('unpaid → the policy fallback; canceled and deleted → free; incomplete → nothing', () => {
    const unpaid = provider.interpret(
      event('customer.subscription.updated', { id: 'sub_1', status: 'unpaid' }),
    );
    expect(unpaid?.transition(pro, policy, now)).toMatchObject({
      kind: 'grace_expired',
      to: { plan: 'free', billingStatus: 'suspended' },
    });
    expect(unpaid?.transition(pro, { ...policy, afterGrace: 'free' }, now)?.to.billingStatus).toBe('active');
    const canceled = provider.interpret(
      event('customer.subscription.updated', { id: 'sub_1', status: 'canceled' }),
    );
    expect(canceled?.transition(pro, policy, now)).toMatchObject({
      kind: 'downgraded',
      to: { plan: 'free', billingStatus: 'active' },
    });
    const deleted = provider.interpret(
      event('customer.subscription.deleted', { id: 'sub_1', status: 'canceled' }),
    );
    expect(deleted?.transition(pro, policy, now)?.kind).toBe('downgraded');
    expect(deleted?.externalSubscriptionId).toBe('sub_1');
    expect(
      provider.interpret(event('customer.subscription.updated', { id: 'sub_1', status: 'incomplete' })),
    ).toBeNull();
  });

  it('invoice.paid → pro + active until the invoiced period end, and a paid invoice', () => {
    const change = provider.interpret(
      event('invoice.paid', {
        id: 'in_1',
        number: 'WW-0001',
        amount_paid: 9900,
        currency: 'sek',
        created: epoch('2026-04-01T09:00:00Z'),
        status_transitions: { paid_at: epoch('2026-04-01T09:30:00Z') },
        parent: { subscription_details: { subscription: 'sub_1', metadata: { organizationId: 'A000042' } } },
        lines: {
          data: [{ period: { start: epoch('2026-04-01T10:00:00Z'), end: epoch('2026-05-01T10:00:00Z') } }],
        },
      }),
    );
    expect(change).toMatchObject({ organizationId: 'A000042', externalSubscriptionId: 'sub_1' });
    expect(change?.invoice).toEqual({
      invoiceId: 'WW-0001',
      amount: 9900,
      currency: 'SEK',
      dueDate: '2026-04-01',
      status: 'paid',
      paidAt: new Date('2026-04-01T09:30:00Z'),
    });
    expect(change?.transition({ ...pro, billingStatus: 'past_due', graceUntil: P }, policy, now)?.to).toEqual(
      pro,
    );
  });

  it('invoice.paid of 0 (a trial opening) changes nothing', () => {
    expect(
      provider.interpret(event('invoice.paid', { id: 'in_0', amount_paid: 0, subscription: 'sub_1' })),
    ).toBeNull();
  });

  it('invoice.payment_failed → a Pro account goes past_due; the invoice is open; other plans unchanged', () => {
    const change = provider.interpret(
      event('invoice.payment_failed', {
        id: 'in_2',
        number: 'WW-0002',
        amount_due: 9900,
        currency: 'sek',
        due_date: epoch('2026-05-01T10:00:00Z'),
        subscription: 'sub_1',
        metadata: {},
      }),
    );
    expect(change).toMatchObject({ organizationId: null, externalSubscriptionId: 'sub_1' });
    expect(change?.invoice).toMatchObject({
      invoiceId: 'WW-0002',
      status: 'open',
      paidAt: null,
      amount: 9900,
    });
    expect(change?.transition(pro, policy, now)?.to).toMatchObject({
      billingStatus: 'past_due',
      graceUntil: startOfStockholmDay('2026-05-15'),
    });
    expect(change?.transition(free, policy, now)).toBeNull();
  });

  it('ignores other event types', () => {
    expect(provider.interpret(event('customer.created', { id: 'cus_1' }))).toBeNull();
  });
});
