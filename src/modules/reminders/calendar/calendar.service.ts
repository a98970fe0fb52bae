import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import ical, { ICalAlarmType, ICalCalendarMethod } from 'ical-generator';
import { RequestContext } from '../../../common/context/request-context';
import { stockholmDate, TIME_ZONE } from '../../../common/dates';
import { notFound } from '../../../common/errors/domain-error';
import { apiPath } from '../../../common/http/api';
import { Clock } from '../../../infrastructure/clock/clock';
import { sha256 } from '../../../infrastructure/tokens/one-time-tokens.service';
import { OrganizationsService } from '../../organizations/organizations.service';
import type { ReminderOccasion } from '../reminders.contract';
import { ReminderSources } from '../sources/reminder-sources';
import { CalendarTokensRepository } from './calendar.repository';

export interface CalendarTokenView {
  token: string;
  /** The feed's path under this server (subscribe with the full URL). */
  path: string;
}

const DAY_SECONDS = 24 * 3600;

/**
 * The calendar feed (RFC 5545): every due date the reminder sources know — last days to cancel, renewals, price
 * changes, and what later modules add — across the person's organizations, as all-day events with stable UIDs and
 * one alarm per lead time. The token in the URL is the only credential (calendar clients send no headers): random
 * 256 bits, stored as its hash, revocable and regenerable.
 */
@Injectable()
export class CalendarService {
  constructor(
    private readonly tokens: CalendarTokensRepository,
    private readonly sources: ReminderSources,
    private readonly organizations: OrganizationsService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
  ) {}

  async status(): Promise<{ active: boolean; createdAt: Date | null }> {
    const token = await this.tokens.findByUser(this.context.requireActor().userId);
    return { active: !!token, createdAt: token?.updatedAt ?? null };
  }

  /** A new token (the old one stops working). */
  async issue(): Promise<CalendarTokenView> {
    const token = randomBytes(32).toString('base64url');
    await this.tokens.replace(this.context.requireActor().userId, sha256(token));
    return { token, path: apiPath(`calendar/${token}.ics`) };
  }

  async revoke(): Promise<void> {
    await this.tokens.remove(this.context.requireActor().userId);
  }

  /** The feed of the token's owner; an unknown or revoked token is the same 404 as a missing feed. */
  async feed(token: string, locale: 'sv' | 'en'): Promise<string> {
    const owner = await this.tokens.findByHash(sha256(token));
    if (!owner) throw notFound('calendar');
    const now = this.clock.now();
    const today = stockholmDate(now);
    const calendar = ical({
      name: 'WestWallet',
      prodId: { company: 'WestWallet', product: 'westwallet', language: locale === 'en' ? 'EN' : 'SV' },
      method: ICalCalendarMethod.PUBLISH,
      // All-day events need no time zone (a VALUE=DATE is the same day everywhere) and DTSTAMP stays UTC.
      x: [{ key: 'X-WR-TIMEZONE', value: TIME_ZONE }],
      ttl: 6 * 3600,
    });
    for (const org of await this.organizations.listForUser(owner._id)) {
      const occasions = await this.context.runAsSystem({ organizationId: org.id }, async () =>
        (await Promise.all(this.sources.all().map((s) => s.occasions(today)))).flat(),
      );
      for (const occasion of occasions) this.addEvent(calendar, occasion, org.name, locale, now);
    }
    return calendar.toString();
  }

  private addEvent(
    calendar: ReturnType<typeof ical>,
    o: ReminderOccasion,
    orgName: string,
    locale: 'sv' | 'en',
    now: Date,
  ) {
    const due = o.trigger.date;
    if (!due) return; // distance-only occasions have no day
    const [y, m, d] = due.dueDate.split('-').map(Number) as [number, number, number];
    const event = calendar.createEvent({
      id: `${o.kind}-${o.sourceType}-${o.sourceId}-${due.dueDate}@westwallet`,
      allDay: true,
      start: new Date(Date.UTC(y, m - 1, d)),
      end: new Date(Date.UTC(y, m - 1, d + 1)),
      summary: o.title[locale],
      description: `${orgName} — ${o.title[locale === 'sv' ? 'en' : 'sv']}`,
      stamp: now,
    });
    for (const lead of due.leadDays) {
      event.createAlarm({
        type: ICalAlarmType.display,
        trigger: lead * DAY_SECONDS,
        description: o.title[locale],
      });
    }
  }
}
