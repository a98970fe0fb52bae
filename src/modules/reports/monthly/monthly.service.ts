import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { RequestContext } from '../../../common/context/request-context';
import { apiPath } from '../../../common/http/api';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { MailService } from '../../../infrastructure/mail/mail.service';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';
import { OrganizationsService } from '../../organizations/organizations.service';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import { money, periodName } from '../common/format';
import { REPORT_RETENTION_DAYS, ReportsService } from '../reports/reports.service';
import { ReportMailingsRepository, ReportSubscriptionsRepository } from './monthly.repository';

/**
 * The monthly report by mail: opt-in per member and organization (`PUT /reports/monthly-mail`). On the 1st of each
 * month the run makes each subscriber a PDF of the month just ended, in their language, and mails a link to it with
 * the key figures (mail.templates.ts `report-monthly`). Once per member, organization and month: a mailing row with
 * a unique key is claimed before anything is made.
 */
@Injectable()
export class MonthlyReportsService {
  private readonly logger = new Logger(MonthlyReportsService.name);

  constructor(
    private readonly subscriptions: ReportSubscriptionsRepository,
    private readonly mailings: ReportMailingsRepository,
    private readonly reports: ReportsService,
    private readonly ids: GlobalIdService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly organizations: OrganizationsService,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
    @Inject(USERS) private readonly users: UsersDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async setting(): Promise<{ enabled: boolean }> {
    const row = await this.subscriptions.ofUser(this.context.requireActor().userId);
    return { enabled: row?.enabled ?? false };
  }

  async change(enabled: boolean): Promise<{ enabled: boolean }> {
    const userId = this.context.requireActor().userId;
    const before = await this.subscriptions.ofUser(userId);
    if (!before) {
      const created = await this.subscriptions.addSubscription(
        await this.ids.getNextGlobalId(),
        userId,
        enabled,
      );
      if (created === TAKEN) await this.subscriptions.setEnabled(userId, enabled);
    } else if (before.enabled !== enabled) await this.subscriptions.setEnabled(userId, enabled);
    await this.audit.record({
      action: AuditAction.ReportMonthlyMailUpdated,
      targetType: 'user',
      targetId: userId,
      changes: { before: { enabled: before?.enabled ?? false }, after: { enabled } },
    });
    return { enabled };
  }

  organizationsWithSubscribers(): Promise<string[]> {
    return this.subscriptions.organizationsWithSubscribers();
  }

  /** One organization's mails for `period` (the job; tenant set). Safe to run again: sent mailings are skipped. */
  async run(period: string): Promise<{ sent: number; skipped: number }> {
    const { organizationId } = this.context.requireTenant();
    const organization = await this.directory.findOrganization(organizationId);
    let sent = 0;
    let skipped = 0;
    for (const subscription of await this.subscriptions.enabled()) {
      const [user, member] = await Promise.all([
        this.users.findById(subscription.userId),
        this.organizations.membership(organizationId, subscription.userId),
      ]);
      if (!user || !member || !user.emailVerified) {
        skipped += 1;
        continue;
      }
      let mailing = await this.mailings.of(user._id, period);
      if (mailing?.status === 'sent') {
        skipped += 1;
        continue;
      }
      if (!mailing) {
        const [mailingId, reportId] = await this.ids.reserveGlobalIds(2);
        const claimed = await this.mailings.claim({ _id: mailingId, userId: user._id, period, reportId });
        mailing = claimed === TAKEN ? await this.mailings.of(user._id, period) : claimed;
        if (!mailing || mailing.status === 'sent') {
          skipped += 1;
          continue;
        }
      }
      const locale = user.preferences.ui.locale;
      const existing = await this.reports.find(mailing.reportId);
      if (!existing)
        await this.reports.add(
          { kind: 'monthly', period, format: 'pdf' },
          locale,
          'monthly-mail',
          user._id,
          mailing.reportId,
        );
      const report = await this.reports.generate(mailing.reportId);
      const figures = await this.reports.figures({ kind: 'monthly', period, locale });
      await this.mail.send(
        user.email,
        'report-monthly',
        locale,
        {
          name: user.name,
          organization: organization?.name ?? '',
          period: periodName(period, locale),
          income: money(figures.totals.income, locale),
          expense: money(figures.totals.expense, locale),
          net: money(figures.totals.net, locale),
          days: String(REPORT_RETENTION_DAYS),
          link: `${this.config.http.publicUrl}${apiPath('reports', report?._id ?? mailing.reportId, 'file')}`,
        },
        organizationId,
      );
      await this.mailings.markSent(mailing._id);
      sent += 1;
    }
    this.logger.log({ organizationId, period, sent, skipped }, 'Monthly report mails');
    return { sent, skipped };
  }
}
