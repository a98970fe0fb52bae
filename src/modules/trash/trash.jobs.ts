import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../../infrastructure/clock/clock';
import { JobHandler } from '../../infrastructure/queue/job-handler.decorator';
import { JobQueue } from '../../infrastructure/queue/queue.module';
import { jobIdFor, JobName, type JobPayloads } from '../../infrastructure/queue/queue.constants';
import { TrashService } from './trash.service';

/**
 * Automatic purge after each item's retention (the deleting user's `preferences.trash.retentionDays`). FerretDB has
 * no TTL indexes, so: every hour the scheduler (worker role only) enqueues one job with a jobId dated to the hour —
 * several workers still enqueue it once — and the handler purges what is due by a dated query.
 */
@Injectable()
export class TrashRetentionJobs {
  private readonly logger = new Logger(TrashRetentionJobs.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly trash: TrashService,
    private readonly clock: Clock,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'trash-retention' })
  async scheduleHourly(): Promise<void> {
    try {
      await this.enqueue();
    } catch (error) {
      this.logger.error({ err: error }, 'Could not enqueue the trash retention job');
    }
  }

  /** Enqueues the purge of everything due now (by the Clock); once per hour whoever calls it. */
  async enqueue(): Promise<string> {
    const now = this.clock.now();
    const jobId = jobIdFor(JobName.PurgeTrash, now.toISOString().slice(0, 13));
    await this.jobs.add(JobName.PurgeTrash, { dueBefore: now.toISOString() }, { jobId });
    return jobId;
  }

  @JobHandler(JobName.PurgeTrash)
  async purgeDue(payload: JobPayloads[JobName.PurgeTrash]): Promise<{ purged: number; failed: number }> {
    const result = await this.trash.purgeDue(new Date(payload.dueBefore));
    if (result.purged || result.failed) this.logger.log(result, 'Trash retention purge');
    return result;
  }
}
