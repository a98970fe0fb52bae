import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { stockholmDate } from '../common/billing.dates';
import type { BillingPolicy } from '../policy/billing.policy';
import { BillingError } from '../billing.errors';
import { BillingAccountsRepository } from './accounts.repository';
import type { BillingAccountDoc, BillingDetails, LatestInvoice } from './accounts.schema';
import { BillingInvoicesRepository } from '../invoices/invoices.repository';
import type { BillingInvoiceDoc } from '../invoices/invoices.schema';
import { BillingPolicyRepository } from '../policy/policy.repository';
import { BillingNoticesRepository } from '../notices/notices.repository';
import {
  bannerOf,
  effectiveState,
  evaluate,
  signUpState,
  type Access,
  type Banner,
  type BillingProviderName,
  type BillingState,
  type OpenInvoice,
  type Reminder,
  type Transition,
  type TransitionKind,
} from './billing.state';
import { BillingNotifier } from './billing.notifier';
import type { ProviderChange, ProviderInvoice } from '../providers/billing-provider';
import { notFound } from '../../../common/errors/domain-error';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';

/** Who or what caused a change: the daily job, the admin trigger, an admin action, a provider event. */
export type Trigger = 'daily' | 'admin' | 'action' | 'stripe' | 'invitation';

export const TRANSITION_AUDIT: Record<TransitionKind, AuditAction> = {
  pro_started: AuditAction.BillingProStarted,
  payment_received: AuditAction.BillingPaymentReceived,
  past_due: AuditAction.BillingPastDue,
  grace_expired: AuditAction.BillingGraceExpired,
  trial_started: AuditAction.BillingTrialStarted,
  trial_expired: AuditAction.BillingTrialExpired,
  downgraded: AuditAction.BillingDowngraded,
};

export interface InvoiceView {
  id: string;
  invoiceId: string;
  amount: number;
  currency: string;
  dueDate: string;
  status: 'open' | 'paid';
  paidAt: Date | null;
  overdue: boolean;
  provider: BillingProviderName;
  createdAt: Date;
}

export interface BillingView {
  organizationId: string;
  plan: BillingState['plan'];
  billingStatus: BillingState['billingStatus'];
  provider: BillingProviderName;
  periodEnd: Date | null;
  graceUntil: Date | null;
  trialEnd: Date | null;
  /** False while the running Pro period was granted on credit and its invoice is not paid yet. */
  currentPeriodPaid: boolean;
  access: Access;
  banner: Banner | null;
  details: BillingDetails | null;
  invoices: InvoiceView[];
}

/** Result of bringing one account up to date. */
export interface SyncResult {
  organizationId: string;
  state: BillingState;
  transitions: {
    kind: TransitionKind;
    reason: string;
    from: StateSummary;
    to: StateSummary;
    notified: boolean;
  }[];
  reminders: { kind: Reminder['kind']; daysLeft: number }[];
}

export interface StateSummary {
  plan: BillingState['plan'];
  billingStatus: BillingState['billingStatus'];
}

const summary = (s: BillingState): StateSummary => ({ plan: s.plan, billingStatus: s.billingStatus });

/** The state fields as audit `changes` want them (dates as ISO strings). */
const auditFields = (s: BillingState): Record<string, unknown> => ({
  plan: s.plan,
  billingStatus: s.billingStatus,
  periodEnd: s.periodEnd?.toISOString() ?? null,
  graceUntil: s.graceUntil?.toISOString() ?? null,
  trialEnd: s.trialEnd?.toISOString() ?? null,
  periodPaid: s.periodPaid,
});

export function stateOf(account: BillingAccountDoc): BillingState {
  return {
    plan: account.plan,
    billingStatus: account.billingStatus,
    periodEnd: account.periodEnd ?? null,
    graceUntil: account.graceUntil ?? null,
    trialEnd: account.trialEnd ?? null,
    // written by something that predates the flag (e.g. the activatePro test helper): a paid period
    periodPaid: account.periodPaid !== false,
  };
}

export const openInvoiceOf = (invoice: BillingInvoiceDoc): OpenInvoice => ({
  invoiceId: invoice.invoiceId,
  amount: invoice.amount,
  currency: invoice.currency,
  dueDate: invoice.dueDate,
});

/**
 * The billing account of an organization: its state (stored, or the sign-up plan when there is none), its access
 * at the clock's `now`, and every change to it — automatic transitions (`sync`) and provider changes (`apply`), each
 * persisted, audited with its reason and mailed to the owners.
 *
 * Nothing here caches: the guard asks `accessOf` on every org-scoped write and that reads the account (an `_id`
 * lookup) and the policy (another one).
 */
@Injectable()
export class BillingService {
  constructor(
    private readonly accounts: BillingAccountsRepository,
    private readonly invoices: BillingInvoicesRepository,
    private readonly policies: BillingPolicyRepository,
    private readonly notices: BillingNoticesRepository,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
    private readonly notifier: BillingNotifier,
    private readonly audit: AuditService,
    private readonly ids: GlobalIdService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
  ) {}

  async policy(): Promise<BillingPolicy> {
    return (await this.policies.get()).policy;
  }

  /** The stored state, or the sign-up plan's state for an organization without an account. */
  async storedState(
    organizationId: string,
    account: BillingAccountDoc | null,
    policy: BillingPolicy,
  ): Promise<BillingState> {
    if (account) return stateOf(account);
    if (policy.signUpPlan === 'free') return signUpState(policy, this.clock.now());
    const org = await this.directory.findOrganization(organizationId);
    return signUpState(policy, org?.createdAt ?? this.clock.now());
  }

  /** Access in force now (the guard's question). Reads the account and the policy on every call. */
  async accessOf(organizationId: string): Promise<{ access: Access; state: BillingState }> {
    const [account, policy] = await Promise.all([this.accounts.findById(organizationId), this.policy()]);
    const stored = await this.storedState(organizationId, account, policy);
    return effectiveState(stored, policy, this.clock.now());
  }

  /** `GET /billing`: the current organization's account as the front end shows it. */
  async current(): Promise<BillingView> {
    return this.view(this.context.requireTenant().organizationId);
  }

  async view(organizationId: string): Promise<BillingView> {
    const now = this.clock.now();
    const [account, policy, invoices] = await Promise.all([
      this.accounts.findById(organizationId),
      this.policy(),
      this.invoices.forOrganization(organizationId),
    ]);
    const stored = await this.storedState(organizationId, account, policy);
    const { state, access } = effectiveState(stored, policy, now);
    const open = invoices.filter((i) => i.status === 'open').map(openInvoiceOf);
    return {
      organizationId,
      plan: state.plan,
      billingStatus: state.billingStatus,
      provider: account?.provider ?? 'manual',
      periodEnd: state.periodEnd,
      graceUntil: state.graceUntil,
      trialEnd: state.trialEnd,
      currentPeriodPaid: state.periodPaid,
      access,
      banner: bannerOf(state, policy, open, now),
      details: account?.details ?? null,
      invoices: invoices.map((i) => this.invoiceView(i, now)),
    };
  }

  invoiceView(invoice: BillingInvoiceDoc, now: Date): InvoiceView {
    return {
      id: invoice._id,
      invoiceId: invoice.invoiceId,
      amount: invoice.amount,
      currency: invoice.currency,
      dueDate: invoice.dueDate,
      status: invoice.status,
      paidAt: invoice.paidAt ?? null,
      overdue: invoice.status === 'open' && invoice.dueDate < stockholmDate(now),
      provider: invoice.provider ?? 'manual',
      createdAt: invoice.createdAt,
    };
  }

  /** `PATCH /billing/details`: merges the given fields into the organization's billing details. */
  async updateDetails(patch: Partial<BillingDetails>): Promise<BillingView> {
    const { organizationId } = this.context.requireTenant();
    const policy = await this.policy();
    const account = await this.ensureAccount(organizationId, policy);
    const before: BillingDetails = account.details ?? {
      contactName: null,
      contactEmail: null,
      organizationNumber: null,
      address: null,
      reference: null,
    };
    const after: BillingDetails = { ...before, ...patch };
    const result = await this.accounts.setDetails(organizationId, after);
    if (!result) throw notFound('organization');
    await this.audit.record({
      action: AuditAction.BillingDetailsUpdated,
      organizationId,
      targetType: 'billing_account',
      targetId: organizationId,
      changes: diffFields(before, after),
    });
    return this.view(organizationId);
  }

  /** The stored account, created with the sign-up state if the organization has none yet. */
  async ensureAccount(organizationId: string, policy: BillingPolicy): Promise<BillingAccountDoc> {
    const existing = await this.accounts.findById(organizationId);
    if (existing) return existing;
    await this.accounts.insertIfMissing(organizationId, await this.storedState(organizationId, null, policy));
    return (await this.accounts.findById(organizationId)) as BillingAccountDoc;
  }

  /**
   * Persists the automatic transitions due at `now` and sends the reminders due, for one account. Safe to run
   * concurrently and repeatedly: each transition and reminder is claimed once by its key (`billing_notices`), and
   * only the claimer audits and mails; the state write itself is the same for everyone.
   */
  async sync(
    organizationId: string,
    policy: BillingPolicy,
    now: Date,
    trigger: Trigger,
    preloaded?: { account: BillingAccountDoc | null; open: OpenInvoice[] },
  ): Promise<SyncResult> {
    const account = preloaded ? preloaded.account : await this.accounts.findById(organizationId);
    const stored = await this.storedState(organizationId, account, policy);
    const open = preloaded
      ? preloaded.open
      : (await this.invoices.openForOrganization(organizationId)).map(openInvoiceOf);
    const evaluation = evaluate(stored, policy, open, now);
    const result: SyncResult = { organizationId, state: evaluation.state, transitions: [], reminders: [] };
    if (!account && evaluation.transitions.length) {
      // an organization on a sign-up trial that never had an account: it gets one, so the change is recorded
      await this.accounts.insertIfMissing(organizationId, stored);
    }
    for (const t of evaluation.transitions) {
      const claimed = await this.notices.claim({
        _id: `${organizationId}:${t.key}`,
        organizationId,
        type: 'transition',
        kind: t.kind,
        at: now,
      });
      if (claimed) await this.auditTransition(organizationId, t, trigger, null);
      await this.accounts.saveState(organizationId, t.to);
      if (claimed)
        await this.notifier.transition(organizationId, t, policy, now, { invoice: open[0] ?? null });
      result.transitions.push({
        kind: t.kind,
        reason: t.reason,
        from: summary(t.from),
        to: summary(t.to),
        notified: claimed,
      });
    }
    for (const r of evaluation.reminders) {
      const claimed = await this.notices.claim({
        _id: `${organizationId}:${r.key}`,
        organizationId,
        type: 'reminder',
        kind: r.kind,
        at: now,
      });
      if (!claimed) continue;
      await this.audit.record({
        action: AuditAction.BillingReminderSent,
        organizationId,
        actorId: null,
        targetType: 'billing_account',
        targetId: organizationId,
        metadata: {
          kind: r.kind,
          boundary: r.boundary.toISOString(),
          daysLeft: r.daysLeft,
          invoiceId: r.invoice?.invoiceId ?? null,
          trigger,
        },
      });
      await this.notifier.reminder(organizationId, r, policy);
      result.reminders.push({ kind: r.kind, daysLeft: r.daysLeft });
    }
    return result;
  }

  /**
   * Applies a provider's change (an admin action through the manual provider, a Stripe event): first the automatic
   * transitions already due (so the stored state is current), then the change — persisted, audited, mailed. The
   * invoice it carries, if any, is recorded too. Returns the transition made (null: nothing changed).
   */
  async apply(
    organizationId: string,
    change: ProviderChange,
    provider: BillingProviderName,
    meta: { actorId: string | null; trigger: Trigger; metadata?: Record<string, unknown> },
  ): Promise<Transition | null> {
    const policy = await this.policy();
    const now = this.clock.now();
    const synced = await this.sync(
      organizationId,
      policy,
      now,
      meta.trigger === 'stripe' ? 'stripe' : 'action',
    );
    const transition = change.transition(synced.state, policy, now);
    const invoice = change.invoice
      ? await this.recordInvoice(organizationId, change.invoice, provider, meta.actorId, now)
      : null;
    if (transition) {
      await this.auditTransition(organizationId, transition, meta.trigger, meta.actorId, {
        provider,
        ...(invoice ? { invoiceId: invoice.invoiceId } : {}),
        ...meta.metadata,
      });
      await this.accounts.saveState(organizationId, transition.to, {
        name: provider,
        externalSubscriptionId: change.externalSubscriptionId,
      });
      const open = (await this.invoices.openForOrganization(organizationId)).map(openInvoiceOf);
      await this.notifier.transition(organizationId, transition, policy, now, {
        invoice: open[0] ?? null,
        invoiceId: invoice?.invoiceId,
      });
    } else if (change.externalSubscriptionId) {
      // nothing changed, but remember which subscription pays for this organization
      await this.accounts.saveState(organizationId, synced.state, {
        name: provider,
        externalSubscriptionId: change.externalSubscriptionId,
      });
    }
    return transition;
  }

  /** Creates or updates an invoice reported by a provider and refreshes the account's latest-invoice summary. */
  async recordInvoice(
    organizationId: string,
    invoice: ProviderInvoice,
    provider: BillingProviderName,
    actorId: string | null,
    now: Date,
  ): Promise<BillingInvoiceDoc> {
    const existing = await this.invoices.findByInvoiceId(invoice.invoiceId);
    if (existing && existing.organizationId !== organizationId) throw new BillingError('INVOICE_EXISTS');
    const stored = await this.invoices.upsertFromProvider({
      _id: existing?._id ?? (await this.ids.getNextGlobalId()),
      organizationId,
      invoiceId: invoice.invoiceId,
      amount: invoice.amount,
      currency: invoice.currency,
      dueDate: invoice.dueDate ?? stockholmDate(now),
      status: invoice.status,
      paidAt: invoice.status === 'paid' ? (invoice.paidAt ?? now) : null,
      provider,
      createdBy: existing?.createdBy ?? actorId,
    });
    await this.refreshLatestInvoice(organizationId);
    return stored;
  }

  async refreshLatestInvoice(organizationId: string): Promise<void> {
    const [latest] = await this.invoices.forOrganization(organizationId, 1);
    if (!latest) return;
    const summaryOf: LatestInvoice = {
      invoiceId: latest.invoiceId,
      amount: latest.amount,
      currency: latest.currency,
      dueDate: latest.dueDate,
      status: latest.status,
      paidAt: latest.paidAt ?? null,
    };
    await this.accounts.setLatestInvoice(organizationId, summaryOf);
  }

  private async auditTransition(
    organizationId: string,
    t: Transition,
    trigger: Trigger,
    actorId: string | null,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await this.audit.record({
      action: TRANSITION_AUDIT[t.kind],
      organizationId,
      actorId,
      targetType: 'billing_account',
      targetId: organizationId,
      changes: diffFields(auditFields(t.from), auditFields(t.to)),
      metadata: { kind: t.kind, reason: t.reason, trigger, ...extra },
    });
  }
}
