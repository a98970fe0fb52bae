import { Inject, Injectable } from '@nestjs/common';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENTS, type WebhookEvents } from '../../webhooks/webhooks.contract';
import type { NotificationWebhookEvent, NotificationWebhooks } from '../notifications.contract';

/** The webhook event type a notification is published as (the webhooks module's catalogue must list it). */
export const NOTIFICATION_EVENT_TYPE = 'notification.created';

/**
 * The webhook channel: one event per notification to the organization's endpoints subscribed to
 * `notification.created`, idempotent by the notification id (a rerun publishes nothing twice), in order per person.
 * Reminders and audited changes reach webhooks by themselves as `reminder.due`, `billing.changed`, …; this channel
 * is for people who want *their* notifications (with their settings, lead days and quiet hours) on a webhook.
 */
@Injectable()
export class WebhookChannel implements NotificationWebhooks {
  constructor(@Inject(WEBHOOK_EVENTS) private readonly events: WebhookEvents) {}

  available(): boolean {
    return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(NOTIFICATION_EVENT_TYPE);
  }

  async publish(event: NotificationWebhookEvent): Promise<void> {
    if (!this.available()) return;
    await this.events.publish(
      event.organizationId,
      NOTIFICATION_EVENT_TYPE,
      {
        notificationId: event.id,
        userId: event.userId,
        kind: event.kind,
        title: event.title,
        body: event.body,
        ...event.data,
        createdAt: event.createdAt.toISOString(),
      },
      `notification:${event.id}`,
      { orderKey: `notification:${event.userId}` },
    );
  }
}
