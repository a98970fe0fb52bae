import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../../infrastructure/clock/clock';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { jobIdFor, JobName } from '../../../infrastructure/queue/queue.constants';
import { DeliveriesRepository } from './deliveries.repository';
import type { WebhookDeliveryDoc } from './deliveries.schema';
import { DispatchTrigger } from './dispatch-trigger';

/** Deliveries a pass looks at, oldest event first. */
export const DISPATCH_BATCH = 200;
/** How long a claimed attempt owns its delivery: the attempt's timeout plus room for its writes. */
export const LEASE_EXTRA_MS = 60_000;
/** Claims sent at once within a pass. */
const CLAIM_PARALLEL = 8;

/**
 * Turns due deliveries into attempt jobs (docs/webhooks.md#retries). The schedule lives on the delivery
 * (`nextAttemptAt`, Clock time), not in BullMQ delays: a pass (every second in the worker role, and right after
 * something is queued) reads the pending deliveries that are due by the Clock, keeps per order key (a record)
 * only the oldest pending one — its successors wait until it is delivered or finally failed —, claims each with a
 * claim and a lease, and adds one BullMQ job per claim (`attempts: 1`; our schedule does the retrying). So
 * tests move the Clock instead of waiting, and a worker that dies mid-attempt leaves a delivery that is due again
 * when its lease ends.
 */
@Injectable()
export class DispatcherService implements OnModuleInit {
  private readonly logger = new Logger(DispatcherService.name);

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly trigger: DispatchTrigger,
  ) {}

  onModuleInit(): void {
    this.trigger.bind(() => this.pass());
  }

  /** The ordered deliveries among `due` that are not the oldest pending one of their (endpoint, order key). */
  private async waiting(due: WebhookDeliveryDoc[]): Promise<Set<string>> {
    const keys = [...new Set(due.map((d) => d.orderKey).filter((k): k is string => k !== null))];
    const pending = await this.deliveries.pendingOf(keys);
    const first = new Map<string, { id: string; seq: number }>();
    for (const p of pending) {
      const group = `${p.endpointId}|${p.orderKey}`;
      const head = first.get(group);
      if (!head || p.seq < head.seq || (p.seq === head.seq && p._id < head.id))
        first.set(group, { id: p._id, seq: p.seq });
    }
    return new Set(
      due
        .filter((d) => d.orderKey !== null && first.get(`${d.endpointId}|${d.orderKey}`)?.id !== d._id)
        .map((d) => d._id),
    );
  }

  /**
   * The claim is derived from what the pass read (the due time and the attempts so far), not random: two passes that
   * race for the same delivery (FerretDB's conditional updates are read-modify-write, so both may "win") write the
   * same claim and add the same jobId, which BullMQ keeps once — one attempt, not two.
   */
  private async claimAndQueue(delivery: WebhookDeliveryDoc, lease: Date): Promise<boolean> {
    const claim = `${delivery.nextAttemptAt!.getTime()}-${delivery.attempts}`;
    if (!(await this.deliveries.claim(delivery._id, delivery.nextAttemptAt!, claim, lease))) return false;
    const name = JobName.WebhooksDeliver;
    await this.jobs.add(
      name,
      { organizationId: delivery.organizationId, deliveryId: delivery._id, claim },
      { jobId: jobIdFor(name, `${delivery._id}-${claim}`), attempts: 1 },
    );
    return true;
  }

  /** One pass: claims and enqueues what is due now; answers how many attempts it queued. */
  async pass(): Promise<number> {
    const now = this.clock.now();
    const due = await this.deliveries.due(now, DISPATCH_BATCH);
    if (!due.length) return 0;
    const waiting = await this.waiting(due);
    const lease = new Date(now.getTime() + LEASE_EXTRA_MS + 15_000);
    const ready = due.filter((d) => !waiting.has(d._id) && d.nextAttemptAt);
    let queued = 0;
    // Claims and enqueues in small parallel groups: single-statement updates, well inside FerretDB's budget.
    for (let i = 0; i < ready.length; i += CLAIM_PARALLEL) {
      const group = ready.slice(i, i + CLAIM_PARALLEL);
      const done = await Promise.all(group.map((delivery) => this.claimAndQueue(delivery, lease)));
      queued += done.filter(Boolean).length;
    }
    if (queued) this.logger.debug({ queued }, 'webhook attempts queued');
    return queued;
  }
}
