import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../infrastructure/clock/clock';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { addDays, startOfStockholmDay, stockholmDate } from '../common/billing.dates';
import type { BillingPolicy } from '../policy/billing.policy';
import { BillingAccountsRepository } from './accounts.repository';
import { BillingInvoicesRepository } from '../invoices/invoices.repository';
import { BillingService, openInvoiceOf, type SyncResult } from './accounts.service';
import { signUpState, type OpenInvoice } from './billing.state';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';

const BATCH = 200;
/** Sign-up trials materialized per run at most (organizations created within the trial window). */
const MAX_SIGN_UPS = 5_000;

export interface TransitionsRun {
  /** The Stockholm calendar date of the run. */
  date: string;
  at: Date;
  trigger: 'daily' | 'admin';
  /** Accounts looked at (those that can change on their own: pro and trial). */
  evaluated: number;
  /** Every account that changed or got a reminder. */
  changes: SyncResult[];
}

/**
 * The automatic transitions for every account: the daily job (BillingJobs) and the admin trigger
 * (`POST /admin/billing/run-transitions`) run this same code. Only pro and trial accounts can change without
 * anyone acting, so only they are scanned, in `_id` batches with their open invoices fetched per batch.
 */
@Injectable()
export class BillingTransitionsService {
  private readonly logger = new Logger(BillingTransitionsService.name);

  constructor(
    private readonly billing: BillingService,
    private readonly accounts: BillingAccountsRepository,
    private readonly invoices: BillingInvoicesRepository,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async runAll(
    trigger: 'daily' | 'admin',
    actorId: string | null,
    forDate?: string,
  ): Promise<TransitionsRun> {
    const now = this.clock.now();
    const date = forDate ?? stockholmDate(now);
    const policy = await this.billing.policy();
    if (policy.signUpPlan === 'trial') await this.materializeSignUpTrials(policy, now);
    const changes: SyncResult[] = [];
    let evaluated = 0;
    let afterId: string | null = null;
    for (;;) {
      const batch = await this.accounts.changeableAfter(afterId, BATCH);
      if (!batch.length) break;
      const open = new Map<string, OpenInvoice[]>();
      for (const invoice of await this.invoices.openForOrganizations(
        batch.filter((a) => a.plan === 'pro').map((a) => a._id),
      )) {
        open.set(invoice.organizationId, [
          ...(open.get(invoice.organizationId) ?? []),
          openInvoiceOf(invoice),
        ]);
      }
      for (const account of batch) {
        evaluated++;
        try {
          const result = await this.billing.sync(account._id, policy, now, trigger, {
            account,
            open: open.get(account._id) ?? [],
          });
          if (result.transitions.length || result.reminders.length) changes.push(result);
        } catch (error) {
          // one broken account must not stop the others; the next run retries it
          this.logger.error(
            { err: error, organizationId: account._id },
            'Billing transitions failed for an account',
          );
        }
      }
      afterId = batch[batch.length - 1]?._id ?? null;
      if (batch.length < BATCH) break;
    }
    await this.audit.record({
      action: AuditAction.BillingTransitionsRun,
      organizationId: null,
      actorId,
      targetType: 'billing',
      targetId: date,
      metadata: {
        trigger,
        date,
        evaluated,
        transitions: changes.reduce((n, c) => n + c.transitions.length, 0),
        reminders: changes.reduce((n, c) => n + c.reminders.length, 0),
      },
    });
    return { date, at: now, trigger, evaluated, changes };
  }

  /**
   * Under a `trial` sign-up policy, organizations created within the trial window that have no account get one
   * (their trial counted from the organization's creation), so the job sees them, reminds them and ends them.
   */
  private async materializeSignUpTrials(policy: BillingPolicy, now: Date): Promise<void> {
    const since = startOfStockholmDay(addDays(stockholmDate(now), -(policy.trialDays + 1)));
    const recent = await this.directory.organizationIdsCreatedSince(since, MAX_SIGN_UPS);
    const existing = new Set((await this.accounts.findByIds(recent.map((o) => o._id))).map((a) => a._id));
    for (const org of recent) {
      if (!existing.has(org._id))
        await this.accounts.insertIfMissing(org._id, signUpState(policy, org.createdAt));
    }
  }
}
