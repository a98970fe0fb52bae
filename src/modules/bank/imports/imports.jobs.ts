import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { isFinalAttempt } from '../../../infrastructure/queue/job-attempts';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { ImportsService } from './imports.service';

/**
 * The bank queue's handlers. Each runs inside its payload's organization as the system (JobRegistry.dispatch);
 * the work is ImportsService's.
 */
@Injectable()
export class ImportJobs {
  private readonly logger = new Logger(ImportJobs.name);

  constructor(private readonly imports: ImportsService) {}

  /**
   * Parses and matches one import; after its last failed attempt the import is marked failed with a fixed, safe
   * text (`IMPORT_FAILED_INTERNAL`): the error itself — a database's or Redis's message — is only logged.
   */
  @JobHandler(JobName.BankImport)
  async import(payload: JobPayloads[JobName.BankImport], job: Job): Promise<void> {
    try {
      await this.imports.runImport(payload);
    } catch (error) {
      const final = isFinalAttempt(job);
      this.logger.error(
        {
          err: error,
          importId: payload.importId,
          organizationId: payload.organizationId,
          attempt: job.attemptsMade + 1,
          final,
        },
        'Bank import attempt failed',
      );
      if (final) await this.imports.fail(payload, { code: 'IMPORT_FAILED_INTERNAL' });
      throw error;
    }
  }

  /** Recomputes suggestions (and automatic bookings) for every open line of the organization. */
  @JobHandler(JobName.BankMatch)
  async rematch(payload: JobPayloads[JobName.BankMatch]): Promise<void> {
    const result = await this.imports.matchOpenLines({});
    this.logger.log({ organizationId: payload.organizationId, ...result }, 'Bank lines rematched');
  }
}
