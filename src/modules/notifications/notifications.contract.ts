/**
 * What the notifications module offers other modules (docs/notifications.md). Reminders reach it through the
 * reminder engine's `ReminderListeners` and audited changes through `AuditListeners`, so most modules need nothing
 * from here; a module whose events have no audit entry of their own (the coming data import) calls
 * `NotificationEvents.importFinished` through the `NOTIFICATION_EVENTS` token (bound to NotificationsService).
 */

/** Every kind of notification; stored in per-user settings and on each notification, so never rename a value. */
export const NOTIFICATION_KINDS = [
  'bill_due',
  'cancel_deadline',
  'renewal',
  'warranty',
  'service',
  'maintenance',
  'billing',
  'bank_review',
  'import',
  'weekly_summary',
  'anomaly',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ['email', 'in_app', 'webhook'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** An import (bank statement, and the data import to come) that finished or failed: told to whoever started it. */
export interface ImportNotice {
  /** The import's record type and id (`bank_import`, …): with the outcome, the occasion key. */
  sourceType: string;
  sourceId: string;
  outcome: 'finished' | 'failed';
  /** Who started it: the one person told. */
  userId: string;
  /** One line each, e.g. "42 rader importerade, 3 väntar på granskning". */
  summary: { sv: string; en: string };
}

export interface NotificationEvents {
  /** In the organization's tenant context; safe to call twice for one import (the occasion key is unique). */
  importFinished(notice: ImportNotice): Promise<void>;
}

export const NOTIFICATION_EVENTS = Symbol('NotificationEvents');

/**
 * The webhook channel's port: what a notification hands the webhooks module (`delivery/webhook-channel.ts`, over
 * the webhooks module's `WEBHOOK_EVENTS` publish API). While it is not available, notifications keep
 * `webhook: 'unavailable'` and nothing is sent.
 */
export interface NotificationWebhookEvent {
  /** The event id: the notification id (a webhook subscriber de-duplicates on it). */
  id: string;
  organizationId: string;
  userId: string;
  kind: NotificationKind;
  title: { sv: string; en: string };
  body: { sv: string; en: string };
  data: Record<string, string | number | boolean | null>;
  createdAt: Date;
}

export interface NotificationWebhooks {
  /** False while the webhooks module's catalogue has no event type for notifications: nothing is published. */
  available(): boolean;
  publish(event: NotificationWebhookEvent): Promise<void>;
}

export const NOTIFICATION_WEBHOOKS = Symbol('NotificationWebhooks');
