import { Injectable } from '@nestjs/common';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { AutoCategorizeService } from './auto-categorize.service';

/** Categorizes newly created transactions (the tenant is already set: JOB_SCOPE `organization`). */
@Injectable()
export class CategorizationJobs {
  constructor(private readonly auto: AutoCategorizeService) {}

  /** Safe to run twice: only transactions still without a category are touched; a stored suggestion is kept. */
  @JobHandler(JobName.AiCategorize)
  categorize(payload: JobPayloads[JobName.AiCategorize]): Promise<{ applied: number; suggested: number }> {
    return this.auto.categorizeTransactions(payload.transactionIds);
  }
}
