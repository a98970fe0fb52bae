import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { stockholmDate, TIME_ZONE } from '../../../common/dates';
import { Clock } from '../../../infrastructure/clock/clock';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { jobIdFor, JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { DeliveryService } from './delivery.service';

/** 07:00 Stockholm: after the reminder run (06:00), the digest mails and on Mondays the weekly summary. */
export const NOTIFICATIONS_DAILY_CRON = '0 7 * * *';
/** Every quarter hour: held notifications whose time came (quiet hours over, a lead day reached). */
export const NOTIFICATIONS_DELIVER_CRON = '*/15 * * * *';

/** The quarter hour an instant falls in, as a job key: `2026-12-02T06:15`. */
export const quarterOf = (at: Date): string => {
  const q = new Date(Math.floor(at.getTime() / 900_000) * 900_000);
  return q.toISOString().slice(0, 16);
};

/**
 * Schedules of the notifications module. However many workers fire a cron, the dated job id keeps one job per day
 * (daily) or quarter hour (delivery); handlers are safe to run twice.
 */
@Injectable()
export class DeliveryJobs {
  private readonly logger = new Logger(DeliveryJobs.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly delivery: DeliveryService,
    private readonly clock: Clock,
  ) {}

  @Cron(NOTIFICATIONS_DAILY_CRON, { name: 'notifications-daily', timeZone: TIME_ZONE })
  async onDaily(): Promise<void> {
    try {
      await this.enqueueDaily(stockholmDate(this.clock.now()));
    } catch (error) {
      this.logger.error({ err: error }, 'Could not enqueue the daily notifications run');
    }
  }

  @Cron(NOTIFICATIONS_DELIVER_CRON, { name: 'notifications-deliver' })
  async onQuarter(): Promise<void> {
    try {
      const at = quarterOf(this.clock.now());
      const name = JobName.NotificationsDeliver;
      await this.jobs.add(name, { at }, { jobId: jobIdFor(name, at), attempts: 3 });
    } catch (error) {
      this.logger.error({ err: error }, 'Could not enqueue the notification delivery run');
    }
  }

  /** Enqueues the daily run for a Stockholm date; a second call for the same date is a no-op. */
  async enqueueDaily(date: string): Promise<string> {
    const jobId = jobIdFor(JobName.NotificationsDaily, date);
    await this.jobs.add(JobName.NotificationsDaily, { date }, { jobId, attempts: 3 });
    return jobId;
  }

  @JobHandler(JobName.NotificationsDaily)
  daily(payload: JobPayloads[JobName.NotificationsDaily]) {
    return this.delivery.daily(payload.date);
  }

  @JobHandler(JobName.NotificationsDeliver)
  async deliver(): Promise<{ sent: number }> {
    return { sent: await this.delivery.deliverDue() };
  }

  @JobHandler(JobName.NotificationsEvent)
  async event(payload: JobPayloads[JobName.NotificationsEvent]): Promise<{ created: number }> {
    return { created: await this.delivery.audited(payload) };
  }
}
