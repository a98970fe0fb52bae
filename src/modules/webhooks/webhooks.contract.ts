import type { WebhookEventType } from './common/event-catalogue';

export type { WebhookEventType } from './common/event-catalogue';
export { WEBHOOK_EVENT_TYPES } from './common/event-catalogue';

/**
 * What the webhooks module offers other modules (docs/webhooks.md#publishing): audited changes and due reminders
 * reach the outbox by themselves (the module listens to `AuditListeners` and `ReminderListeners`); an event that
 * is neither — the notifications' webhook channel, an import that finished — is published here. Inject
 * `WEBHOOK_EVENTS` (bound to `OutboxService`, exported by WebhooksModule).
 */
export interface WebhookEvents {
  /**
   * Puts an event in the outbox for every enabled endpoint of the organization subscribed to `type`, in the
   * caller's call (await it before answering, as with an audit entry). Idempotent by `idempotencyKey` (per
   * organization): publishing the same key again changes nothing, so a retried job never sends twice. `data`
   * must be JSON (no secrets: receivers are outside). `orderKey`: events with the same key reach each endpoint in
   * publishing order. Answers how many deliveries were queued (0: nobody subscribes). Throws
   * `UNKNOWN_EVENT_TYPE` for a type not in the catalogue.
   */
  publish(
    organizationId: string,
    type: WebhookEventType,
    data: Record<string, unknown>,
    idempotencyKey: string,
    options?: { orderKey?: string },
  ): Promise<number>;
}

export const WEBHOOK_EVENTS = Symbol('WebhookEvents');

/** Delivery health for the system page and metrics (`WebhooksHealth.summary`). */
export interface WebhooksHealthSummary {
  /** Enabled endpoints whose last attempt failed (failing since some time), across organizations. */
  endpointsFailing: number;
  deliveriesPending: number;
  /** Age of the oldest pending delivery's event, 0 when none. */
  oldestPendingAgeSeconds: number;
}
