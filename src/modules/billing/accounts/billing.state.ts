import { daysUntil, lastDayBefore, midnightAfterDays, stockholmDate } from '../common/billing.dates';
import { messages } from '../common/billing.messages';
import type { BillingPolicy } from '../policy/billing.policy';

/**
 * The billing state machine: pure functions of (account state, policy, open invoices, now). No I/O, no clock —
 * the caller passes `now` (from `Clock`). Unit-tested in billing.state.spec.ts; docs/billing.md describes the rules.
 */
export const PLANS = ['free', 'trial', 'pro'] as const;
export type Plan = (typeof PLANS)[number];
export const BILLING_STATUSES = ['active', 'past_due', 'suspended'] as const;
export type BillingStatus = (typeof BILLING_STATUSES)[number];
export const BILLING_PROVIDERS = ['manual', 'stripe'] as const;
export type BillingProviderName = (typeof BILLING_PROVIDERS)[number];
export type Access = 'full' | 'read_only';

export interface BillingState {
  plan: Plan;
  billingStatus: BillingStatus;
  periodEnd: Date | null;
  graceUntil: Date | null;
  trialEnd: Date | null;
  /**
   * False while the running Pro period was granted on credit (admin grant, invitation: "invoiced afterwards") and
   * not paid yet. A payment before periodEnd then settles that period instead of adding a new one.
   */
  periodPaid: boolean;
}

/** An unpaid invoice, as the reminder and the banner need it. */
export interface OpenInvoice {
  invoiceId: string;
  amount: number;
  currency: string;
  dueDate: string;
}

export type AutomaticTransitionKind = 'past_due' | 'grace_expired' | 'trial_expired';
export type ActionTransitionKind = 'pro_started' | 'payment_received' | 'trial_started' | 'downgraded';
export type TransitionKind = AutomaticTransitionKind | ActionTransitionKind;

export interface Transition {
  kind: TransitionKind;
  /** Idempotency key: an automatic transition happens once per boundary (`past_due:<periodEnd>`). */
  key: string;
  /** Why, in English, for the audit log. */
  reason: string;
  from: BillingState;
  to: BillingState;
}

export type ReminderKind = 'period_ending' | 'grace_ending' | 'trial_ending';

export interface Reminder {
  kind: ReminderKind;
  /** Idempotency key: one reminder of a kind per boundary (`trial_ending:<trialEnd>`), however often the job runs. */
  key: string;
  boundary: Date;
  daysLeft: number;
  invoice: OpenInvoice | null;
}

export interface Evaluation {
  state: BillingState;
  transitions: Transition[];
  reminders: Reminder[];
}

export type BannerLevel = 'info' | 'warning' | 'error';
export type BannerCode =
  | 'TRIAL_ACTIVE'
  | 'TRIAL_ENDING'
  | 'PERIOD_ENDING'
  | 'PAYMENT_OVERDUE'
  | 'ACCOUNT_SUSPENDED'
  | 'READ_ONLY_FREE';

export interface Banner {
  level: BannerLevel;
  code: BannerCode;
  message: { sv: string; en: string };
  daysLeft: number | null;
}

/** What an organization without a billing account is on (policy `signUpPlan`). */
export function signUpState(policy: BillingPolicy, organizationCreatedAt: Date): BillingState {
  return policy.signUpPlan === 'trial'
    ? {
        plan: 'trial',
        billingStatus: 'active',
        periodEnd: null,
        graceUntil: null,
        trialEnd: midnightAfterDays(organizationCreatedAt, policy.trialDays),
        periodPaid: true,
      }
    : {
        plan: 'free',
        billingStatus: 'active',
        periodEnd: null,
        graceUntil: null,
        trialEnd: null,
        periodPaid: true,
      };
}

const reached = (boundary: Date | null, now: Date): boundary is Date =>
  boundary !== null && now.getTime() >= boundary.getTime();
const iso = (d: Date) => d.toISOString();

/** The next automatic transition due at `now`, or null. */
function nextAutomatic(s: BillingState, policy: BillingPolicy, now: Date): Transition | null {
  if (s.plan === 'pro' && s.billingStatus === 'active' && reached(s.periodEnd, now)) {
    const graceUntil = midnightAfterDays(s.periodEnd, policy.graceDays);
    return {
      kind: 'past_due',
      key: `past_due:${iso(s.periodEnd)}`,
      reason: `The period ended ${stockholmDate(s.periodEnd)} without payment; full access continues in grace until ${stockholmDate(graceUntil)}`,
      from: s,
      to: { ...s, billingStatus: 'past_due', graceUntil },
    };
  }
  if (s.plan === 'pro' && s.billingStatus === 'past_due' && reached(s.graceUntil, now)) {
    const suspend = policy.afterGrace === 'free_suspended';
    return {
      kind: 'grace_expired',
      key: `grace_expired:${iso(s.graceUntil)}`,
      reason: `Grace ended ${stockholmDate(s.graceUntil)} without payment; moved to the free plan${suspend ? ' and suspended' : ''} (policy afterGrace=${policy.afterGrace})`,
      from: s,
      to: { ...s, plan: 'free', billingStatus: suspend ? 'suspended' : 'active', graceUntil: null },
    };
  }
  if (s.plan === 'trial' && reached(s.trialEnd, now)) {
    return {
      kind: 'trial_expired',
      key: `trial_expired:${iso(s.trialEnd)}`,
      reason: `The trial ended ${stockholmDate(s.trialEnd)}; moved to the free plan`,
      from: s,
      to: { ...s, plan: 'free', billingStatus: 'active' },
    };
  }
  return null;
}

/** The reminders due at `now` for a state (after its transitions). */
function dueReminders(
  s: BillingState,
  policy: BillingPolicy,
  openInvoices: OpenInvoice[],
  now: Date,
): Reminder[] {
  const window = (boundary: Date | null, days: number): boundary is Date =>
    boundary !== null && !reached(boundary, now) && reached(midnightAfterDays(boundary, -days), now);
  const reminders: Reminder[] = [];
  if (
    s.plan === 'pro' &&
    s.billingStatus === 'active' &&
    openInvoices.length > 0 &&
    window(s.periodEnd, policy.periodReminderDays)
  ) {
    reminders.push({
      kind: 'period_ending',
      key: `period_ending:${iso(s.periodEnd)}`,
      boundary: s.periodEnd,
      daysLeft: daysUntil(s.periodEnd, now),
      invoice: latestDue(openInvoices),
    });
  }
  if (s.plan === 'pro' && s.billingStatus === 'past_due' && window(s.graceUntil, policy.graceReminderDays)) {
    reminders.push({
      kind: 'grace_ending',
      key: `grace_ending:${iso(s.graceUntil)}`,
      boundary: s.graceUntil,
      daysLeft: daysUntil(s.graceUntil, now),
      invoice: openInvoices.length ? latestDue(openInvoices) : null,
    });
  }
  if (s.plan === 'trial' && window(s.trialEnd, policy.trialReminderDays)) {
    reminders.push({
      kind: 'trial_ending',
      key: `trial_ending:${iso(s.trialEnd)}`,
      boundary: s.trialEnd,
      daysLeft: daysUntil(s.trialEnd, now),
      invoice: null,
    });
  }
  return reminders;
}

function latestDue(invoices: OpenInvoice[]): OpenInvoice {
  return invoices.reduce((a, b) => (b.dueDate > a.dueDate ? b : a));
}

/**
 * Applies every automatic transition due at `now` (several when the job was late, e.g. past_due and then
 * grace_expired), then lists the reminders due for the resulting state. Idempotent: evaluating the result again at
 * the same `now` yields no transitions.
 */
export function evaluate(
  state: BillingState,
  policy: BillingPolicy,
  openInvoices: OpenInvoice[],
  now: Date,
): Evaluation {
  const transitions: Transition[] = [];
  let current = state;
  // At most one of each kind can follow another (pro → past_due → free; trial → free): a small bound suffices.
  for (let i = 0; i < 4; i++) {
    const next = nextAutomatic(current, policy, now);
    if (!next) break;
    transitions.push(next);
    current = next.to;
  }
  return { state: current, transitions, reminders: dueReminders(current, policy, openInvoices, now) };
}

/** Access of a state that is already evaluated at `now` (see `evaluate`). */
export function accessOf(s: BillingState, policy: BillingPolicy, now: Date): Access {
  if (s.billingStatus === 'suspended') return 'read_only';
  switch (s.plan) {
    case 'pro':
      // past_due is still a customer: full access until grace ends (no graceUntil: nothing decided yet).
      return s.billingStatus === 'active' || s.graceUntil === null || !reached(s.graceUntil, now)
        ? 'full'
        : 'read_only';
    case 'trial':
      return reached(s.trialEnd, now) ? 'read_only' : 'full';
    case 'free':
      return policy.freeAccess === 'full' ? 'full' : 'read_only';
  }
}

/** The state and access in force at `now`, whether or not the daily job has stored them yet. */
export function effectiveState(
  state: BillingState,
  policy: BillingPolicy,
  now: Date,
): { state: BillingState; access: Access } {
  const evaluated = evaluate(state, policy, [], now).state;
  return { state: evaluated, access: accessOf(evaluated, policy, now) };
}

/** The banner the front end shows for an evaluated state, or null when there is nothing to say. */
export function bannerOf(
  s: BillingState,
  policy: BillingPolicy,
  openInvoices: OpenInvoice[],
  now: Date,
): Banner | null {
  const invoice = openInvoices.length ? latestDue(openInvoices) : null;
  const readOnly = policy.freeAccess === 'read_only';

  if (s.billingStatus === 'suspended') {
    return {
      level: 'error',
      code: 'ACCOUNT_SUSPENDED',
      message: messages('banner_account_suspended', { invoice }),
      daysLeft: null,
    };
  }
  if (s.plan === 'pro' && s.billingStatus === 'past_due' && s.graceUntil) {
    const n = daysUntil(s.graceUntil, now);
    const lastDay = lastDayBefore(s.graceUntil);
    return {
      level: 'warning',
      code: 'PAYMENT_OVERDUE',
      message: messages('banner_payment_overdue', { days: n, lastDay, readOnly, invoice }),
      daysLeft: n,
    };
  }
  if (s.plan === 'pro' && s.billingStatus === 'active' && s.periodEnd && invoice) {
    const n = daysUntil(s.periodEnd, now);
    if (n > policy.periodReminderDays) return null;
    const lastDay = lastDayBefore(s.periodEnd);
    return {
      level: 'info',
      code: 'PERIOD_ENDING',
      message: messages('banner_period_ending', { days: n, lastDay, invoice }),
      daysLeft: n,
    };
  }
  if (s.plan === 'trial' && s.trialEnd) {
    const n = daysUntil(s.trialEnd, now);
    const lastDay = lastDayBefore(s.trialEnd);
    const ending = n <= policy.trialReminderDays;
    return {
      level: ending ? 'warning' : 'info',
      code: ending ? 'TRIAL_ENDING' : 'TRIAL_ACTIVE',
      message: messages('banner_trial', { days: n, lastDay, readOnly }),
      daysLeft: n,
    };
  }
  if (s.plan === 'free' && readOnly) {
    return {
      level: 'info',
      code: 'READ_ONLY_FREE',
      message: messages('banner_read_only_free', {}),
      daysLeft: null,
    };
  }
  return null;
}

// ---- actions (the manual provider's rules; Stripe maps its events onto the same fields) ------------------------

/** Admin gives Pro (or an invitation is accepted): active at once, invoiced afterwards. */
export function grantPro(
  s: BillingState,
  policy: BillingPolicy,
  now: Date,
  periodEnd: Date | null,
  reason: string,
): Transition {
  const end = periodEnd ?? midnightAfterDays(now, policy.periodDays);
  const keepsPaid = s.plan === 'pro' && s.billingStatus === 'active' ? s.periodPaid : false;
  return {
    kind: 'pro_started',
    key: `pro_started:${iso(now)}`,
    reason: `${reason}; Pro until ${stockholmDate(end)}${keepsPaid ? '' : ' (invoiced afterwards)'}`,
    from: s,
    to: {
      plan: 'pro',
      billingStatus: 'active',
      periodEnd: end,
      graceUntil: null,
      trialEnd: null,
      periodPaid: keepsPaid,
    },
  };
}

/** Admin grants a trial of `days` days from today. (Refusing a trial to a Pro account is the caller's rule.) */
export function grantTrial(s: BillingState, now: Date, days: number, reason: string): Transition {
  const trialEnd = midnightAfterDays(now, days);
  return {
    kind: 'trial_started',
    key: `trial_started:${iso(now)}`,
    reason: `${reason}; trial of ${days} days until ${stockholmDate(trialEnd)}`,
    from: s,
    to: { ...s, plan: 'trial', billingStatus: 'active', trialEnd, graceUntil: null },
  };
}

/** Admin moves the account to the free plan (status active; the free plan's access follows the policy). */
export function downgrade(s: BillingState, now: Date, reason: string): Transition | null {
  if (s.plan === 'free' && s.billingStatus === 'active') return null;
  return {
    kind: 'downgraded',
    key: `downgraded:${iso(now)}`,
    reason,
    from: s,
    to: { ...s, plan: 'free', billingStatus: 'active', graceUntil: null, trialEnd: null },
  };
}

/**
 * A payment arrived at `paidAt`: Pro + active. The new period starts at the previous periodEnd when the payment is
 * within grace of it (or early), else on the payment date. A payment before the end of a period granted on credit
 * settles that period instead.
 */
export function applyPayment(
  s: BillingState,
  policy: BillingPolicy,
  paidAt: Date,
  reason: string,
): Transition {
  const graceLimit = s.graceUntil ?? (s.periodEnd ? midnightAfterDays(s.periodEnd, policy.graceDays) : null);
  let periodEnd: Date;
  let rule: string;
  if (
    s.plan === 'pro' &&
    s.billingStatus === 'active' &&
    !s.periodPaid &&
    s.periodEnd &&
    paidAt < s.periodEnd
  ) {
    periodEnd = s.periodEnd;
    rule = `settles the running period (granted on credit) until ${stockholmDate(periodEnd)}`;
  } else if (s.periodEnd && graceLimit && paidAt < graceLimit) {
    periodEnd = midnightAfterDays(s.periodEnd, policy.periodDays);
    rule = `paid within grace: the new period starts at the previous end ${stockholmDate(s.periodEnd)} and runs until ${stockholmDate(periodEnd)}`;
  } else {
    periodEnd = midnightAfterDays(paidAt, policy.periodDays);
    rule = `the new period starts on the payment date ${stockholmDate(paidAt)} and runs until ${stockholmDate(periodEnd)}`;
  }
  return {
    kind: 'payment_received',
    key: `payment_received:${iso(paidAt)}`,
    reason: `${reason}; ${rule}`,
    from: s,
    to: {
      plan: 'pro',
      billingStatus: 'active',
      periodEnd,
      graceUntil: null,
      trialEnd: null,
      periodPaid: true,
    },
  };
}

export function sameState(a: BillingState, b: BillingState): boolean {
  const t = (d: Date | null) => (d ? d.getTime() : null);
  return (
    a.plan === b.plan &&
    a.billingStatus === b.billingStatus &&
    t(a.periodEnd) === t(b.periodEnd) &&
    t(a.graceUntil) === t(b.graceUntil) &&
    t(a.trialEnd) === t(b.trialEnd) &&
    a.periodPaid === b.periodPaid
  );
}
