import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { addDays, stockholmDate } from '../../../common/dates';
import { Clock } from '../../../infrastructure/clock/clock';
import { MailService } from '../../../infrastructure/mail/mail.service';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';
import type { DueReminder, ReminderKind } from '../../reminders/reminders.contract';
import { KIND_OF_REMINDER, KIND_RULES } from '../common/kinds';
import { afterQuietHours, leadSlots, stockholmInstant } from '../common/schedule';
import {
  anomalyText,
  bankReviewText,
  billingText,
  digestMail,
  importText,
  reminderText,
  weeklySummaryMail,
  type NotificationText,
} from '../common/texts';
import { NotificationsRepository, type NewNotification } from '../inbox/inbox.repository';
import type { EmailState, NotificationDoc, WebhookState } from '../inbox/inbox.schema';
import {
  NOTIFICATION_WEBHOOKS,
  type ImportNotice,
  type NotificationEvents,
  type NotificationKind,
  type NotificationWebhooks,
} from '../notifications.contract';
import {
  MEMBERS,
  REMINDER_PREFERENCES,
  type MembersForNotifications,
  type OrgRoleName,
  type ReminderPreferences,
} from '../ports';
import { NotificationSettingsRepository } from '../settings/settings.repository';
import { NotificationSettingsService, type Recipient } from '../settings/settings.service';

/** Held notifications whose day comes (lead days) go out at 08:00 Stockholm time. */
export const SEND_MINUTE = 8 * 60;
const BATCH = 200;

/** Something to tell people about once: the occasion key is unique per person (with the organization and slot). */
export interface Occasion {
  organizationId: string | null;
  kind: NotificationKind;
  key: string;
  text: NotificationText;
  recipients: string[];
  sourceType?: string | null;
  sourceId?: string | null;
  dueDate?: string | null;
  /** The slot of a person without lead days (a reminder's own lead, `d30`); default `now`. */
  defaultSlot?: string;
  /** Reminder kind, to honour the person's `/reminders/settings`. */
  reminderKind?: ReminderKind;
}

/** What an audited change carries into the notification job (see audit-feed.ts). */
export interface AuditedEvent {
  auditId: string;
  organizationId: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  actorId: string | null;
  metadata: Record<string, unknown> | null;
}

const BILLING_TRANSITIONS: Record<string, string> = {
  'billing.pro_started': 'pro_started',
  'billing.payment_received': 'payment_received',
  'billing.past_due': 'past_due',
  'billing.grace_expired': 'grace_expired',
  'billing.trial_started': 'trial_started',
  'billing.trial_expired': 'trial_expired',
  'billing.downgraded': 'downgraded',
};
export const NOTIFYING_ACTIONS = new Set([
  'bank.import_completed',
  'bank.import_failed',
  'ai.anomaly_detected',
  ...Object.keys(BILLING_TRANSITIONS),
]);

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

/**
 * Turns occasions into notifications, one per person and occasion (a unique key, inserted, never read first), and
 * sends what is due: mail through the mail queue (a delivery id per notification, so a rerun never mails twice),
 * webhooks through the webhooks port. Held ones (lead days, quiet hours) go out with the quarter-hourly delivery
 * run; digest mail with the daily run at 07:00; the weekly summary on Mondays.
 */
@Injectable()
export class DeliveryService implements NotificationEvents {
  private readonly logger = new Logger(DeliveryService.name);
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly settings: NotificationSettingsService,
    private readonly settingsStore: NotificationSettingsRepository,
    private readonly ids: GlobalIdService,
    private readonly mail: MailService,
    private readonly clock: Clock,
    private readonly context: RequestContext,
    @Inject(MEMBERS) private readonly members: MembersForNotifications,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
    @Optional() @Inject(NOTIFICATION_WEBHOOKS) private readonly webhooks: NotificationWebhooks | null,
    @Optional()
    @Inject(REMINDER_PREFERENCES)
    private readonly reminderPreferences: ReminderPreferences | null,
  ) {}

  /** The reminder engine's run stored these reminders (in the organization's tenant context). */
  async remindersDue(organizationId: string, reminders: DueReminder[]): Promise<number> {
    const members = (await this.members.members(organizationId)).map((m) => m.userId);
    let created = 0;
    for (const r of reminders) {
      created += await this.notify({
        organizationId,
        kind: KIND_OF_REMINDER[r.kind],
        key: `reminder:${r.kind}:${r.sourceType}:${r.sourceId}:${r.dueDate ?? r.dueOdometer ?? ''}`,
        text: reminderText(r),
        recipients: members,
        sourceType: r.sourceType,
        sourceId: r.sourceId,
        dueDate: r.dueDate,
        defaultSlot: r.lead,
        reminderKind: r.kind,
      });
    }
    return created;
  }

  /** An audited change that people hear about: bank imports and billing transitions. */
  async audited(event: AuditedEvent): Promise<number> {
    const m = event.metadata ?? {};
    if (event.action === 'bank.import_completed' && event.targetId) {
      const created = num(m.created);
      const waiting = Math.max(0, created - num(m.autoBooked));
      if (waiting > 0) {
        const reviewers = (await this.members.members(event.organizationId))
          .filter((x) => x.role !== 'viewer')
          .map((x) => x.userId);
        return this.notify({
          organizationId: event.organizationId,
          kind: 'bank_review',
          key: `bank_review:${event.targetId}`,
          text: bankReviewText(waiting, num(m.suggested)),
          recipients: reviewers,
          sourceType: event.targetType,
          sourceId: event.targetId,
        });
      }
      if (!event.actorId) return 0;
      return this.notify(
        this.importOccasion(event.organizationId, {
          sourceType: event.targetType ?? 'bank_import',
          sourceId: event.targetId,
          outcome: 'finished',
          userId: event.actorId,
          summary: {
            sv: `${created} rader importerade, alla bokförda automatiskt eller dubbletter.`,
            en: `${created} lines imported, all booked automatically or duplicates.`,
          },
        }),
      );
    }
    if (event.action === 'bank.import_failed' && event.targetId && event.actorId) {
      const code = str(m.code, 'IMPORT_FAILED');
      return this.notify(
        this.importOccasion(event.organizationId, {
          sourceType: event.targetType ?? 'bank_import',
          sourceId: event.targetId,
          outcome: 'failed',
          userId: event.actorId,
          summary: {
            sv: `filen kunde inte läsas (${code}).`,
            en: `${str(m.error, 'the file could not be read')} (${code}).`,
          },
        }),
      );
    }
    // AI anomalies of medium or high severity: every member (low ones stay in the list).
    if (event.action === 'ai.anomaly_detected' && event.targetId && m.severity !== 'low') {
      return this.notify({
        organizationId: event.organizationId,
        kind: 'anomaly',
        key: `anomaly:${event.targetId}`,
        text: anomalyText(str(m.kind, ''), { sv: str(m.reasonSv, ''), en: str(m.reasonEn, '') }),
        recipients: (await this.members.members(event.organizationId)).map((x) => x.userId),
        sourceType: event.targetType,
        sourceId: event.targetId,
      });
    }
    const transition = BILLING_TRANSITIONS[event.action];
    if (transition) {
      const org = await this.directory.findOrganization(event.organizationId);
      if (!org) return 0;
      const after = (m.after ?? {}) as Record<string, unknown>;
      const people = (await this.members.members(event.organizationId))
        .filter((x) => (['owner', 'admin'] as OrgRoleName[]).includes(x.role))
        .map((x) => x.userId);
      return this.notify({
        organizationId: event.organizationId,
        kind: 'billing',
        key: `billing:${event.auditId}`,
        text: billingText(transition, org.name, str(after.plan, '–'), str(after.billingStatus, '–')),
        recipients: people,
        sourceType: 'billing_account',
        sourceId: event.organizationId,
      });
    }
    return 0;
  }

  /** The entry point for imports (`NotificationEvents`, notifications.contract.ts). */
  async importFinished(notice: ImportNotice): Promise<void> {
    await this.notify(this.importOccasion(this.context.requireTenant().organizationId, notice));
  }

  /** Creates the notifications of an occasion (once per person) and sends what is due now; answers how many new. */
  async notify(occasion: Occasion): Promise<number> {
    const rule = KIND_RULES[occasion.kind];
    const now = this.clock.now();
    const today = stockholmDate(now);
    const people = await this.settings.recipients(occasion.recipients);
    const docs: Omit<NewNotification, '_id'>[] = [];
    for (const p of people) {
      const s = p.settings.kinds[occasion.kind];
      if (!s.enabled || !s.channels.length) continue;
      if (occasion.reminderKind && (await this.remindersOff(p.userId, occasion.reminderKind))) continue;
      const slots = rule.leadDays
        ? leadSlots(s.leadDays, occasion.dueDate ?? null, today, now, SEND_MINUTE)
        : [{ key: 'now', at: now }];
      for (const slot of slots) {
        const email: EmailState =
          s.channels.includes('email') && p.emailVerified
            ? s.delivery === 'digest' && rule.digest
              ? 'digest'
              : 'held'
            : 'none';
        const webhook: WebhookState = s.channels.includes('webhook')
          ? this.webhooks
            ? 'held'
            : 'unavailable'
          : 'none';
        const slotKey =
          slot.key === 'now' && !s.leadDays?.length ? (occasion.defaultSlot ?? 'now') : slot.key;
        docs.push({
          userId: p.userId,
          organizationId: occasion.organizationId,
          kind: occasion.kind,
          key: `${occasion.organizationId ?? 'user'}:${occasion.key}:${slotKey}`,
          titleSv: occasion.text.title.sv,
          titleEn: occasion.text.title.en,
          bodySv: occasion.text.body.sv,
          bodyEn: occasion.text.body.en,
          sourceType: occasion.sourceType ?? null,
          sourceId: occasion.sourceId ?? null,
          dueDate: occasion.dueDate ?? null,
          inApp: s.channels.includes('in_app') && occasion.organizationId !== null,
          showFrom: slot.at,
          readAt: null,
          notifiedAt: now,
          email,
          webhook,
          sendAt: email === 'digest' ? slot.at : afterQuietHours(p.settings.quietHours, slot.at),
        });
      }
    }
    if (!docs.length) return 0;
    const ids = await this.ids.reserveGlobalIds(docs.length);
    const added = await this.notifications.addNew(docs.map((d, i) => ({ ...d, _id: ids[i] })));
    const due = added.filter((d) => d.sendAt <= now && (d.email === 'held' || d.webhook === 'held'));
    if (due.length) await this.send(due, new Map(people.map((p) => [p.userId, p])));
    return added.length;
  }

  /** The quarter-hourly run: held mail and webhooks whose time has come. Answers how many were sent. */
  async deliverDue(): Promise<number> {
    const now = this.clock.now();
    let sent = 0;
    for (const channel of ['email', 'webhook'] as const) {
      const seen = new Set<string>();
      for (;;) {
        const due = await this.notifications.dueToSend(channel, now, BATCH);
        // A batch of only notifications tried already: their sends failed (logged); the next run tries again.
        if (!due.length || due.every((d) => seen.has(d._id))) break;
        for (const d of due) seen.add(d._id);
        const people = await this.settings.recipients(due.map((d) => d.userId));
        sent += await this.send(due, new Map(people.map((p) => [p.userId, p])));
        if (due.length < BATCH) break;
      }
    }
    return sent;
  }

  /**
   * The daily run for a Stockholm date: one digest mail per person with digest mail waiting, and on Mondays the
   * weekly summary to those who asked for it. Safe to run twice: digest mails are keyed by their first item (a
   * rerun finds the same first item and the mail queue ignores the second), the summary by person and date.
   */
  async daily(date: string): Promise<{ digests: number; summaries: number }> {
    const now = this.clock.now();
    let digests = 0;
    let after: string | null = null;
    for (;;) {
      const users = await this.notifications.digestUsers(now, after, BATCH);
      if (!users.length) break;
      const people = new Map((await this.settings.recipients(users)).map((p) => [p.userId, p]));
      for (const userId of users) {
        const items = await this.notifications.digestOf(userId, now);
        const person = people.get(userId);
        const first = items[0];
        if (!first) continue;
        if (person) {
          const { subject, body } = digestMail(
            items.map((i) => ({
              title: { sv: i.titleSv, en: i.titleEn },
              body: { sv: i.bodySv, en: i.bodyEn },
            })),
            date,
            person.locale,
          );
          await this.mail.send(person.email, 'notification', person.locale, { subject, body }, undefined, {
            deliveryId: `ntf-digest-${first._id}`,
          });
          digests++;
        }
        await this.notifications.setEmailState(
          items.map((i) => i._id),
          'digest',
          person ? 'digested' : 'skipped',
        );
      }
      after = users[users.length - 1] ?? null;
      if (users.length < BATCH) break;
    }
    const summaries = new Date(`${date}T12:00:00Z`).getUTCDay() === 1 ? await this.weeklySummaries(date) : 0;
    return { digests, summaries };
  }

  private async weeklySummaries(date: string): Promise<number> {
    const from = addDays(date, -7);
    const start = stockholmInstant(from, 0);
    const end = stockholmInstant(date, 0);
    let count = 0;
    let after: string | null = null;
    for (;;) {
      const userIds = await this.settingsStore.weeklySummaryUsers(after, BATCH);
      if (!userIds.length) break;
      for (const userId of userIds) {
        const items = await this.notifications.createdBetween(userId, start, end);
        const counts: Partial<Record<NotificationKind, number>> = {};
        for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
        const orgs = (await this.members.listForUser(userId)).map((o) => o.id);
        const unread = await this.notifications.countUnread({
          userId,
          organizationIds: orgs,
          now: this.clock.now(),
        });
        const last = addDays(date, -1);
        const text: NotificationText = {
          title: {
            sv: weeklySummaryMail(counts, unread, from, last, 'sv').subject,
            en: weeklySummaryMail(counts, unread, from, last, 'en').subject,
          },
          body: {
            sv: weeklySummaryMail(counts, unread, from, last, 'sv').body,
            en: weeklySummaryMail(counts, unread, from, last, 'en').body,
          },
        };
        count += await this.notify({
          organizationId: null,
          kind: 'weekly_summary',
          key: `weekly:${date}`,
          text,
          recipients: [userId],
        });
      }
      after = userIds[userIds.length - 1] ?? null;
      if (userIds.length < BATCH) break;
    }
    return count;
  }

  /** Sends the held channels of these notifications; each step moves the state on once. */
  private async send(
    docs: NotificationDoc[] | NewNotification[],
    people: Map<string, Recipient>,
  ): Promise<number> {
    let sent = 0;
    for (const n of docs) {
      try {
        sent += await this.sendOne(n, people.get(n.userId));
      } catch (error) {
        // One failed send (Redis, the webhooks outbox) keeps its channel held for the next run; the others go on.
        this.logger.error({ err: error, notificationId: n._id }, 'notification send failed');
      }
    }
    return sent;
  }

  private async sendOne(
    n: NotificationDoc | NewNotification,
    person: Recipient | undefined,
  ): Promise<number> {
    let sent = 0;
    if (n.email === 'held') {
      if (person?.emailVerified) {
        const locale = person.locale;
        await this.mail.send(
          person.email,
          'notification',
          locale,
          { subject: locale === 'en' ? n.titleEn : n.titleSv, body: locale === 'en' ? n.bodyEn : n.bodySv },
          n.organizationId ?? undefined,
          { deliveryId: `ntf-${n._id}` },
        );
        if (await this.notifications.advance(n._id, 'email', 'held', 'queued')) sent++;
      } else {
        await this.notifications.advance(n._id, 'email', 'held', 'skipped');
      }
    }
    if (n.webhook === 'held') {
      if (this.webhooks?.available() && n.organizationId) {
        await this.webhooks.publish({
          id: n._id,
          organizationId: n.organizationId,
          userId: n.userId,
          kind: n.kind,
          title: { sv: n.titleSv, en: n.titleEn },
          body: { sv: n.bodySv, en: n.bodyEn },
          data: { sourceType: n.sourceType, sourceId: n.sourceId, dueDate: n.dueDate },
          createdAt: this.clock.now(),
        });
        await this.notifications.advance(n._id, 'webhook', 'held', 'sent');
      } else {
        await this.notifications.advance(n._id, 'webhook', 'held', 'unavailable');
      }
    }
    return sent;
  }

  private importOccasion(organizationId: string, notice: ImportNotice): Occasion {
    return {
      organizationId,
      kind: 'import',
      key: `import:${notice.sourceType}:${notice.sourceId}:${notice.outcome}`,
      text: importText(notice.outcome, notice.summary),
      recipients: [notice.userId],
      sourceType: notice.sourceType,
      sourceId: notice.sourceId,
    };
  }

  private async remindersOff(userId: string, kind: ReminderKind): Promise<boolean> {
    if (!this.reminderPreferences) return false;
    return (await this.reminderPreferences.disabledKinds(userId)).includes(kind);
  }
}
