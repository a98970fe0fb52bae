import { Inject, Injectable, Logger } from '@nestjs/common';
import { MailService } from '../../../infrastructure/mail/mail.service';
import type { MailTemplateName } from '../../../infrastructure/mail/mail.templates';
import { OrganizationsService } from '../../organizations/organizations.service';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import { daysUntil, lastDayBefore } from '../common/billing.dates';
import { message, type Locale } from '../common/billing.messages';
import type { BillingPolicy } from '../policy/billing.policy';
import type { OpenInvoice, Reminder, ReminderKind, Transition, TransitionKind } from './billing.state';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';

interface Owner {
  name: string;
  email: string;
  locale: Locale;
}

const TRANSITION_TEMPLATES: Record<TransitionKind, MailTemplateName> = {
  pro_started: 'billing-pro-started',
  payment_received: 'billing-payment-received',
  past_due: 'billing-past-due',
  grace_expired: 'billing-grace-expired',
  trial_started: 'billing-trial-started',
  trial_expired: 'billing-trial-expired',
  downgraded: 'billing-downgraded',
};

const REMINDER_TEMPLATES: Record<ReminderKind, MailTemplateName> = {
  period_ending: 'billing-period-ending',
  grace_ending: 'billing-grace-ending',
  trial_ending: 'billing-trial-ending',
};

const invoiceLines = (invoice: OpenInvoice | null): { invoiceSv: string; invoiceEn: string } =>
  invoice
    ? { invoiceSv: message('invoice_due', 'sv', invoice), invoiceEn: message('invoice_due', 'en', invoice) }
    : { invoiceSv: '', invoiceEn: '' };

/** Mails about an organization's billing to its owners, each in their own language (Swedish by default). */
@Injectable()
export class BillingNotifier {
  private readonly logger = new Logger(BillingNotifier.name);

  constructor(
    private readonly organizations: OrganizationsService,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly mail: MailService,
  ) {}

  async transition(
    organizationId: string,
    t: Transition,
    policy: BillingPolicy,
    now: Date,
    extra: { invoice?: OpenInvoice | null; invoiceId?: string } = {},
  ): Promise<void> {
    const s = t.to;
    const readOnly = String(policy.freeAccess === 'read_only' || s.billingStatus === 'suspended');
    const vars: Record<string, string> = {
      ...invoiceLines(extra.invoice ?? null),
      invoiceId: extra.invoiceId ?? '',
      readOnly,
      suspends: String(policy.afterGrace === 'free_suspended'),
      invoiced: String(!s.periodPaid),
      lastDay: '',
      days: '',
    };
    const boundary = t.kind === 'past_due' ? s.graceUntil : s.plan === 'trial' ? s.trialEnd : s.periodEnd;
    if (boundary) {
      vars.lastDay = lastDayBefore(boundary);
      vars.days = String(daysUntil(boundary, now));
    }
    await this.send(organizationId, TRANSITION_TEMPLATES[t.kind], vars);
  }

  async reminder(organizationId: string, r: Reminder, policy: BillingPolicy): Promise<void> {
    await this.send(organizationId, REMINDER_TEMPLATES[r.kind], {
      ...invoiceLines(r.invoice),
      lastDay: lastDayBefore(r.boundary),
      days: String(r.daysLeft),
      readOnly: String(policy.freeAccess === 'read_only'),
      suspends: String(policy.afterGrace === 'free_suspended'),
    });
  }

  /** The organization's owners with their mail language. */
  async owners(organizationId: string): Promise<Owner[]> {
    const members = (await this.organizations.members(organizationId)).filter((m) => m.role === 'owner');
    const owners: Owner[] = [];
    for (const member of members) {
      const user = await this.users.findById(member.userId);
      owners.push({ name: member.name, email: member.email, locale: user?.preferences.ui.locale ?? 'sv' });
    }
    return owners;
  }

  private async send(
    organizationId: string,
    template: MailTemplateName,
    vars: Record<string, string>,
  ): Promise<void> {
    const org = await this.directory.findOrganization(organizationId);
    if (!org) return;
    const owners = await this.owners(organizationId);
    if (!owners.length)
      this.logger.warn({ organizationId, template }, 'Billing notice without an owner to mail');
    for (const owner of owners) {
      await this.mail.send(
        owner.email,
        template,
        owner.locale,
        { ...vars, name: owner.name, organization: org.name },
        organizationId,
      );
    }
  }
}
