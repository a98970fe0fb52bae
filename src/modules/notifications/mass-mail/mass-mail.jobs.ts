import { Injectable } from '@nestjs/common';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { MassMailService } from './mass-mail.service';

/** The mass mail's jobs (JOB_SCOPE `none`: platform data); both are safe to run twice. */
@Injectable()
export class MassMailJobs {
  constructor(private readonly massMails: MassMailService) {}

  @JobHandler(JobName.MassMailPrepare)
  prepare(payload: JobPayloads[JobName.MassMailPrepare]) {
    return this.massMails.prepare(payload.campaignId);
  }

  @JobHandler(JobName.MassMailSend)
  send(payload: JobPayloads[JobName.MassMailSend]) {
    return this.massMails.sendSlice(payload.campaignId, payload.slice);
  }
}
