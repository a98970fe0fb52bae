import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { AuditListeners, type AuditListener } from '../../audit/audit-listeners';
import type { DueReminder, ReminderListener } from '../../reminders/reminders.contract';
import { ReminderListeners } from '../../reminders/runs/reminder-listeners';
import { isOrdered, isWebhookEventType, type WebhookEventType } from '../common/event-catalogue';
import {
  eventsForAudit,
  eventsForReminder,
  type AuditedChange,
  type PlannedEvent,
} from '../common/event-mapping';
import { DeliveriesRepository, type NewDelivery } from '../deliveries/deliveries.repository';
import { DispatchTrigger } from '../deliveries/dispatch-trigger';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import type { WebhookEndpointDoc } from '../endpoints/endpoints.schema';
import type { WebhookEvents } from '../webhooks.contract';
import { WebhooksError } from '../webhooks.errors';
import { EventsRepository } from './events.repository';
import type { WebhookEventDoc } from './events.schema';

/**
 * The outbox (docs/webhooks.md#outbox). An audited change, a due reminder or a published event becomes one stored
 * event plus one pending delivery per subscribed endpoint, written inside the call that made the change (the audit
 * listener is `required`: when the outbox cannot be written the request fails and the client retries). Both writes
 * are idempotent — the event by its key, the deliveries by (event, endpoint) — so a retried call or a rerun
 * reminder day never doubles anything. Organizations without a subscribed endpoint cost one small read.
 */
@Injectable()
export class OutboxService implements OnModuleInit, AuditListener, ReminderListener, WebhookEvents {
  private readonly logger = new Logger(OutboxService.name);

  constructor(
    private readonly events: EventsRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly ids: GlobalIdService,
    private readonly clock: Clock,
    private readonly trigger: DispatchTrigger,
    private readonly auditListeners: AuditListeners,
    private readonly reminderListeners: ReminderListeners,
  ) {}

  onModuleInit(): void {
    this.auditListeners.register('webhooks-outbox', this, { required: true });
    this.reminderListeners.register('webhooks-outbox', this);
  }

  async onAudit(entry: AuditedChange): Promise<void> {
    if (!entry.organizationId) return;
    const planned = eventsForAudit(entry);
    if (planned.length) await this.store(entry.organizationId, planned);
  }

  async onRemindersDue(organizationId: string, reminders: DueReminder[]): Promise<void> {
    const seq = this.clock.now().getTime();
    await this.store(
      organizationId,
      reminders.flatMap((r) => eventsForReminder(r, seq)),
    );
  }

  async publish(
    organizationId: string,
    type: WebhookEventType,
    data: Record<string, unknown>,
    idempotencyKey: string,
    options: { orderKey?: string } = {},
  ): Promise<number> {
    if (!isWebhookEventType(type)) throw new WebhooksError('UNKNOWN_EVENT_TYPE', undefined, { type });
    return this.store(organizationId, [
      {
        type,
        key: `publish-${idempotencyKey}`,
        data,
        orderKey: options.orderKey ? `publish:${options.orderKey}` : null,
        seq: this.clock.now().getTime(),
      },
    ]);
  }

  /**
   * A test message to one endpoint (`POST /webhooks/endpoints/:id/test`): its event and a delivery already claimed
   * with `claim` for the caller's attempt (its lease makes the dispatcher try it once more if the caller dies).
   */
  async testEvent(
    endpoint: WebhookEndpointDoc,
    key: string,
    claim: string,
    leaseUntil: Date,
  ): Promise<string> {
    const event = await this.events.addOnce(
      this.newEvent(
        endpoint.organizationId,
        {
          type: 'webhook.test',
          key: `test-${key}`,
          data: { message: 'Test from WestWallet', endpointId: endpoint._id },
          orderKey: null,
          seq: this.clock.now().getTime(),
        },
        await this.ids.getNextGlobalId(),
      ),
    );
    const deliveryId = await this.ids.getNextGlobalId();
    await this.deliveries.addMany(
      [{ ...this.newDelivery(event, endpoint._id, deliveryId, leaseUntil), claim }],
      this.clock.now(),
    );
    return deliveryId;
  }

  /** Asks the dispatcher for a pass now (after a replay). */
  dispatchSoon(): void {
    this.trigger.soon();
  }

  private newEvent(organizationId: string, p: PlannedEvent, id: string): WebhookEventDoc {
    return {
      _id: id,
      organizationId,
      key: p.key,
      type: p.type,
      data: p.data,
      occurredAt: this.clock.now(),
      orderKey: isOrdered(p.type) ? p.orderKey : p.orderKey?.startsWith('publish:') ? p.orderKey : null,
      seq: p.seq,
    };
  }

  private newDelivery(
    event: WebhookEventDoc,
    endpointId: string,
    id: string,
    dueAt: Date | null,
  ): NewDelivery {
    return {
      _id: id,
      organizationId: event.organizationId,
      endpointId,
      eventId: event._id,
      eventType: event.type,
      occurredAt: event.occurredAt,
      orderKey: event.orderKey,
      seq: event.seq,
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: dueAt,
      claim: null as string | null,
      lastStatusCode: null,
      lastError: null,
      deliveredAt: null,
      log: [],
    };
  }

  /** Stores the planned events that someone subscribes to, with their deliveries; answers deliveries queued. */
  private async store(organizationId: string, planned: PlannedEvent[]): Promise<number> {
    if (!planned.length) return 0;
    const endpoints = await this.endpoints.enabledOf(organizationId);
    if (!endpoints.length) return 0;
    let queued = 0;
    for (const p of planned) {
      const subscribers = endpoints.filter((e) => e.eventTypes.includes(p.type));
      if (!subscribers.length) continue;
      const event = await this.events.addOnce(
        this.newEvent(organizationId, p, await this.ids.getNextGlobalId()),
      );
      const ids = await this.ids.reserveGlobalIds(subscribers.length);
      const now = this.clock.now();
      queued += await this.deliveries.addMany(
        subscribers.map((endpoint, i) => this.newDelivery(event, endpoint._id, ids[i], now)),
        now,
      );
    }
    if (queued) this.trigger.soon();
    else if (planned.length) this.logger.debug({ organizationId }, 'webhook outbox: nothing new to queue');
    return queued;
  }
}
