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
  async send(payload: JobPayloads[JobName.SendMail], job: Job): Promise<void> {
    // Jobs queued before delivery ids existed fall back to their BullMQ id.
    await this.mail.deliver(payload, payload.deliveryId ?? `job-${job.id}`);
    await forgetVars(job);
  }
}

/**
 * Once the mail is out (sent now, or found sent by an earlier attempt) its variables — reset, verification and
 * invitation tokens and links — leave the job: a completed job stays in Redis for a day (removeOnComplete), and
 * nothing needs them any more. Delivery id, recipient and template stay (the delivery record and Message-ID are keyed
 * on the id). A job whose update fails here fails and runs again: its delivery record says sent, so it only comes
 * back to this step. A mail that was never sent keeps its variables for the retries (failed jobs: 7 days).
 */
async function forgetVars(job: Job): Promise<void> {
  const data = job.data as JobPayloads[JobName.SendMail];
  if (Object.keys(data.vars).length) await job.updateData({ ...data, vars: {} });
}
