import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import type { Job } from 'bullmq';
import { Clock } from '../../infrastructure/clock/clock';
import { isFinalAttempt } from '../../infrastructure/queue/job-attempts';
import { JobHandler } from '../../infrastructure/queue/job-handler.decorator';
import { JobQueue } from '../../infrastructure/queue/queue.module';
import { jobIdFor, JobName, type JobPayloads } from '../../infrastructure/queue/queue.constants';
import { ExportService } from './export/export.service';
import { ImportService } from './import/import.service';
import { RetentionService } from './retention.service';

/** Export and import jobs, and the hourly removal of archives past their 7 days. Every handler is safe to run twice. */
@Injectable()
export class PortabilityJobs {
  private readonly logger = new Logger(PortabilityJobs.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly exports: ExportService,
    private readonly imports: ImportService,
    private readonly retention: RetentionService,
    private readonly clock: Clock,
  ) {}

  @JobHandler(JobName.PortabilityExport)
  async export(payload: JobPayloads[JobName.PortabilityExport], job: Job): Promise<void> {
    try {
      await this.exports.generate(payload.exportId);
    } catch (error) {
      if (isFinalAttempt(job)) await this.exports.fail(payload.exportId);
      throw error;
    }
  }

  @JobHandler(JobName.PortabilityImport)
  async import(payload: JobPayloads[JobName.PortabilityImport], job: Job): Promise<void> {
    try {
      await this.imports.run(payload.importId);
    } catch (error) {
      this.logger.error({ err: error, importId: payload.importId }, 'Import attempt failed');
      if (isFinalAttempt(job)) await this.imports.fail(payload.importId);
      throw error;
    }
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'portability-cleanup' })
  async scheduleCleanup(): Promise<void> {
    try {
      const at = this.clock.now().toISOString();
      const name = JobName.PortabilityCleanupScan;
      await this.jobs.add(name, { at }, { jobId: jobIdFor(name, at.slice(0, 13)) });
    } catch (error) {
      this.logger.error({ err: error }, 'Could not enqueue the portability cleanup');
    }
  }

  @JobHandler(JobName.PortabilityCleanupScan)
  async cleanupScan(payload: JobPayloads[JobName.PortabilityCleanupScan]): Promise<void> {
    const name = JobName.PortabilityExpire;
    for (const organizationId of await this.retention.organizationsWithExpiredFiles())
      await this.jobs.add(
        name,
        { organizationId, at: payload.at },
        { jobId: jobIdFor(name, `${organizationId}-${payload.at.slice(0, 13)}`) },
      );
  }

  @JobHandler(JobName.PortabilityExpire)
  async expire(): Promise<void> {
    await this.retention.expireDue();
  }
}
