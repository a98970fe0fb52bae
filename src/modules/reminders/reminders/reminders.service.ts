import { Injectable } from '@nestjs/common';
import { stockholmDate } from '../../../common/dates';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { REMINDER_KINDS, type ReminderKind } from '../reminders.contract';
import { RemindersError } from '../reminders.errors';
import { ReminderSettingsRepository } from '../settings/settings.repository';
import { RemindersRepository } from './reminders.repository';
import type { ReminderDoc, ReminderState } from './reminders.schema';

export interface ReminderView {
  id: string;
  kind: ReminderKind;
  sourceType: string;
  sourceId: string;
  title: string;
  titles: { sv: string; en: string };
  lead: string;
  remindOn: string;
  dueDate: string | null;
  dueOdometer: number | null;
  amount: number | null;
  currency: string | null;
  state: ReminderState;
  snoozedUntil: string | null;
  createdAt: Date;
}

const REMINDER = 'reminder';

@Injectable()
export class RemindersService {
  constructor(
    private readonly reminders: RemindersRepository,
    private readonly settings: ReminderSettingsRepository,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private view(r: ReminderDoc, locale: 'sv' | 'en'): ReminderView {
    return {
      id: r._id,
      kind: r.kind,
      sourceType: r.sourceType,
      sourceId: r.sourceId,
      title: locale === 'en' ? r.titleEn : r.titleSv,
      titles: { sv: r.titleSv, en: r.titleEn },
      lead: r.lead,
      remindOn: r.remindOn,
      dueDate: r.dueDate,
      dueOdometer: r.dueOdometer,
      amount: r.amount,
      currency: r.currency,
      state: r.state,
      snoozedUntil: r.snoozedUntil,
      createdAt: r.createdAt,
    };
  }

  /** Open reminders due on `due` (default today), without the kinds the caller turned off and snoozed ones. */
  async list(
    query: { due?: string; locale?: 'sv' | 'en' },
    page: { cursor?: string; limit: number },
  ): Promise<Page<ReminderView>> {
    const day = query.due ?? stockholmDate(this.clock.now());
    const disabled = await this.settings.disabledKinds(this.context.requireActor().userId);
    const result = await this.reminders.due(day, disabled, page);
    return {
      items: result.items.map((r) => this.view(r, query.locale ?? 'sv')),
      nextCursor: result.nextCursor,
    };
  }

  /** Hidden until the day after `until`. */
  async snooze(id: string, until: string): Promise<ReminderView> {
    if (until <= stockholmDate(this.clock.now()))
      throw new RemindersError('INVALID_SNOOZE', undefined, { until });
    const result = await this.reminders.snooze(id, until);
    if (!result) throw notFound(REMINDER);
    await this.audit.record({
      action: AuditAction.ReminderSnoozed,
      targetType: REMINDER,
      targetId: id,
      changes: { before: { snoozedUntil: result.before.snoozedUntil }, after: { snoozedUntil: until } },
    });
    return this.view(result.after, 'sv');
  }

  async done(id: string): Promise<ReminderView> {
    const result = await this.reminders.markDone(id, this.context.requireActor().userId, this.clock.now());
    if (!result) throw notFound(REMINDER);
    await this.audit.record({ action: AuditAction.ReminderDone, targetType: REMINDER, targetId: id });
    return this.view(result.after, 'sv');
  }

  /** The kinds a person turned off (notifications do not tell them about those either). */
  disabledKinds(userId: string): Promise<ReminderKind[]> {
    return this.settings.disabledKinds(userId);
  }

  async settingsOf(): Promise<{ kinds: { kind: ReminderKind; enabled: boolean }[] }> {
    const disabled = new Set(await this.settings.disabledKinds(this.context.requireActor().userId));
    return { kinds: REMINDER_KINDS.map((kind) => ({ kind, enabled: !disabled.has(kind) })) };
  }

  async setKinds(changes: Partial<Record<ReminderKind, boolean>>) {
    const userId = this.context.requireActor().userId;
    const disabled = new Set(await this.settings.disabledKinds(userId));
    for (const [kind, enabled] of Object.entries(changes) as [ReminderKind, boolean][]) {
      if (enabled) disabled.delete(kind);
      else disabled.add(kind);
    }
    await this.settings.setDisabledKinds(userId, [...disabled]);
    return this.settingsOf();
  }
}
