import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Job } from 'bullmq';
import { addMonthsToDate, stockholmDate } from '../../../common/dates';
import { Clock } from '../../../infrastructure/clock/clock';
import { isFinalAttempt } from '../../../infrastructure/queue/job-attempts';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { jobIdFor, JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { MonthlyReportsService } from '../monthly/monthly.service';
import { ReportsService } from './reports.service';

/**
 * The reports queue: making a report's file, the hourly cleanup of expired files (FerretDB has no TTL index: a
 * dated query finds them) and the monthly report mail on the 1st at 07:00 Stockholm time. Schedules enqueue jobs
 * with dated ids, so several workers still enqueue each once; every handler is safe to run twice.
 */
@Injectable()
export class ReportJobs {
  private readonly logger = new Logger(ReportJobs.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly reports: ReportsService,
    private readonly monthly: MonthlyReportsService,
    private readonly clock: Clock,
  ) {}

  @JobHandler(JobName.ReportsGenerate)
  async generate(payload: JobPayloads[JobName.ReportsGenerate], job: Job): Promise<void> {
    try {
      await this.reports.generate(payload.reportId);
    } catch (error) {
      const final = isFinalAttempt(job);
      this.logger.error({ err: error, reportId: payload.reportId, final }, 'Report attempt failed');
      if (final) await this.reports.fail(payload.reportId);
      throw error;
    }
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'reports-cleanup' })
  async scheduleCleanup(): Promise<void> {
    try {
      await this.enqueueCleanup();
    } catch (error) {
      this.logger.error({ err: error }, 'Could not enqueue the report cleanup');
    }
  }

  async enqueueCleanup(): Promise<void> {
    const at = this.clock.now().toISOString();
    const name = JobName.ReportsCleanupScan;
    await this.jobs.add(name, { at }, { jobId: jobIdFor(name, at.slice(0, 13)) });
  }

  @JobHandler(JobName.ReportsCleanupScan)
  async cleanupScan(payload: JobPayloads[JobName.ReportsCleanupScan]): Promise<void> {
    const name = JobName.ReportsExpire;
    for (const organizationId of await this.reports.organizationsWithExpiredFiles())
      await this.jobs.add(
        name,
        { organizationId, at: payload.at },
        { jobId: jobIdFor(name, `${organizationId}-${payload.at.slice(0, 13)}`) },
      );
  }

  @JobHandler(JobName.ReportsExpire)
  async expire(): Promise<void> {
    await this.reports.expireDue();
  }

  @Cron('0 7 1 * *', { name: 'reports-monthly-mail', timeZone: 'Europe/Stockholm' })
  async scheduleMonthly(): Promise<void> {
    try {
      await this.enqueueMonthly();
    } catch (error) {
      this.logger.error({ err: error }, 'Could not enqueue the monthly report mail');
    }
  }

  /** The month before today's (Stockholm), once per month whoever calls it. */
  async enqueueMonthly(): Promise<string> {
    const period = addMonthsToDate(`${stockholmDate(this.clock.now()).slice(0, 7)}-01`, -1).slice(0, 7);
    const name = JobName.ReportsMonthlyScan;
    await this.jobs.add(name, { period }, { jobId: jobIdFor(name, period) });
    return period;
  }

  @JobHandler(JobName.ReportsMonthlyScan)
  async monthlyScan(payload: JobPayloads[JobName.ReportsMonthlyScan]): Promise<void> {
    const name = JobName.ReportsMonthlyMail;
    for (const organizationId of await this.monthly.organizationsWithSubscribers())
      await this.jobs.add(
        name,
        { organizationId, period: payload.period },
        { jobId: jobIdFor(name, `${organizationId}-${payload.period}`) },
      );
  }

  @JobHandler(JobName.ReportsMonthlyMail)
  async monthlyMail(payload: JobPayloads[JobName.ReportsMonthlyMail]): Promise<void> {
    await this.monthly.run(payload.period);
  }
}
