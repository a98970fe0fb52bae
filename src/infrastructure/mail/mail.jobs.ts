import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobName, type JobPayloads } from '../queue/queue.constants';
import { MailService } from './mail.service';

/** The mail queue's handler: runs as the system with no tenant (JobRegistry.dispatch); MailService sends. */
@Injectable()
export class MailJobs {
  constructor(private readonly mail: MailService) {}

  @JobHandler(JobName.SendMail)
  send(payload: JobPayloads[JobName.SendMail], job: Job): Promise<void> {
    // Jobs queued before delivery ids existed fall back to their BullMQ id.
    return this.mail.deliver(payload, payload.deliveryId ?? `job-${job.id}`);
  }
}
