import { Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { AnomaliesService } from './anomalies.service';

/** Runs the detection for one organization (the tenant is already set: JOB_SCOPE `organization`). */
@Injectable()
export class AnomaliesJobs {
  private readonly logger = new Logger(AnomaliesJobs.name);

  constructor(private readonly anomalies: AnomaliesService) {}

  /** Safe to run twice: a scan stores only keys not stored yet (unique index, insert-only). */
  @JobHandler(JobName.AiAnomaliesScan)
  async scan(payload: JobPayloads[JobName.AiAnomaliesScan]): Promise<{ added: number }> {
    const added = await this.anomalies.scan();
    if (added) this.logger.log({ organizationId: payload.organizationId, added }, 'Anomalies found');
    return { added };
  }
}
