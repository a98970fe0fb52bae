import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobHandler } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName, type JobPayloads } from '../../../infrastructure/queue/queue.constants';
import { DeliveriesService } from './deliveries.service';
import { DispatcherService } from './dispatcher.service';

/**
 * The dispatcher's poll (every second, worker role only: `@Interval` fires only where ScheduleModule runs) and the
 * attempt job (`webhooks.deliver`, JOB_SCOPE organization: the tenant is set). A job whose claim is gone does
 * nothing, so running it twice is safe.
 */
@Injectable()
export class DeliveryJobs {
  private readonly logger = new Logger(DeliveryJobs.name);
  private polling = false;

  constructor(
    private readonly dispatcher: DispatcherService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Interval('webhooks-dispatch', 1_000)
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.dispatcher.pass();
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook dispatch poll failed');
    } finally {
      this.polling = false;
    }
  }

  @JobHandler(JobName.WebhooksDeliver)
  async deliver(payload: JobPayloads[JobName.WebhooksDeliver]): Promise<void> {
    await this.deliveries.attempt(payload.deliveryId, payload.claim);
  }
}
