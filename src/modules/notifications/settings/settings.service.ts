import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { RequestContext } from '../../../common/context/request-context';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import type { Preferences } from '../../users/preferences';
import { KIND_LABELS, KIND_RULES } from '../common/kinds';
import { verifyUnsubscribeToken, unsubscribeToken } from '../common/unsubscribe-token';
import { NotificationsError } from '../notifications.errors';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notifications.contract';
import type { SettingsPatch } from './settings.dto';
import { NotificationSettingsRepository } from './settings.repository';
import type { StoredKindSetting } from './settings.schema';
import { effectiveSettings, unofferedSetting, type EffectiveSettings } from './settings.rules';

export interface SettingsView {
  kinds: {
    kind: NotificationKind;
    label: string;
    enabled: boolean;
    channels: string[];
    leadDays: number[] | null;
    delivery: 'instant' | 'digest';
    offers: { channels: string[]; leadDays: boolean; digest: boolean };
  }[];
  quietHours: { start: string; end: string } | null;
  announcements: boolean;
  timeZone: 'Europe/Stockholm';
}

/** A recipient as delivery needs them: address, language and settings. */
export interface Recipient {
  userId: string;
  email: string;
  name: string;
  emailVerified: boolean;
  locale: 'sv' | 'en';
  settings: EffectiveSettings;
}

/**
 * `/me/notification-settings`: per person, in every organization. Kinds nobody set follow the account preferences
 * (settings.rules.ts). The unsubscribe link of mass mails turns `announcements` off.
 */
@Injectable()
export class NotificationSettingsService {
  constructor(
    private readonly settings: NotificationSettingsRepository,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async mine(): Promise<SettingsView> {
    const userId = this.context.requireActor().userId;
    const [user, stored] = await Promise.all([this.users.findById(userId), this.settings.findFor(userId)]);
    return this.view(effectiveSettings(stored, user?.preferences ?? null), user?.preferences ?? null);
  }

  async update(patch: SettingsPatch): Promise<SettingsView> {
    const userId = this.context.requireActor().userId;
    for (const [kind, setting] of Object.entries(patch.kinds ?? {}) as [
      NotificationKind,
      StoredKindSetting,
    ][]) {
      const problem = setting ? unofferedSetting(kind, setting) : null;
      if (problem) throw new NotificationsError('CHANNEL_NOT_OFFERED', problem, { kind });
    }
    if (patch.quietHours && patch.quietHours.start === patch.quietHours.end)
      throw new NotificationsError('INVALID_QUIET_HOURS');
    const [user, stored] = await Promise.all([this.users.findById(userId), this.settings.findFor(userId)]);
    const kinds: Partial<Record<NotificationKind, StoredKindSetting>> = { ...(stored?.kinds ?? {}) };
    for (const [kind, setting] of Object.entries(patch.kinds ?? {}) as [
      NotificationKind,
      StoredKindSetting,
    ][]) {
      if (setting) kinds[kind] = { ...kinds[kind], ...setting };
    }
    const before = effectiveSettings(stored, user?.preferences ?? null);
    const values = {
      kinds,
      quietHours: patch.quietHours !== undefined ? patch.quietHours : (stored?.quietHours ?? null),
      announcements: patch.announcements ?? stored?.announcements ?? true,
    };
    await this.settings.save(userId, values);
    const after = effectiveSettings(values, user?.preferences ?? null);
    await this.audit.record({
      action: AuditAction.NotificationSettingsUpdated,
      organizationId: null,
      targetType: 'user',
      targetId: userId,
      changes: {
        before: {
          kinds: changedKinds(before, after, 'before'),
          quietHours: before.quietHours,
          announcements: before.announcements,
        },
        after: {
          kinds: changedKinds(before, after, 'after'),
          quietHours: after.quietHours,
          announcements: after.announcements,
        },
      },
    });
    return this.view(after, user?.preferences ?? null);
  }

  /** The one-click unsubscribe of mass mails: turns announcements off for the token's person (idempotent). */
  async unsubscribe(token: string): Promise<{ unsubscribed: true; message: string }> {
    const userId = verifyUnsubscribeToken(this.config.auth.jwtSecret, token);
    const user = userId ? await this.users.findById(userId) : null;
    if (!user) throw new NotificationsError('INVALID_UNSUBSCRIBE_TOKEN');
    if (await this.settings.unsubscribe(user._id)) {
      await this.audit.record({
        action: AuditAction.NotificationUnsubscribed,
        organizationId: null,
        actorId: user._id,
        targetType: 'user',
        targetId: user._id,
        changes: { before: { announcements: true }, after: { announcements: false } },
      });
    }
    return {
      unsubscribed: true,
      message:
        user.preferences.ui.locale === 'en'
          ? 'You will no longer receive announcements from WestWallet. Turn them on again under Settings > Notifications.'
          : 'Du får inte längre utskick från WestWallet. Slå på dem igen under Inställningar > Aviseringar.',
    };
  }

  unsubscribeLink(userId: string): string {
    const token = unsubscribeToken(this.config.auth.jwtSecret, userId);
    return `${this.config.http.publicUrl}/api/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}`;
  }

  /** Of these people, those who turned mass mails off. */
  optedOut(userIds: string[]): Promise<Set<string>> {
    return this.settings.optedOut(userIds);
  }

  /** Address, language and settings of live users (unknown or deleted ones left out). */
  async recipients(userIds: string[]): Promise<Recipient[]> {
    const unique = [...new Set(userIds)];
    if (!unique.length) return [];
    const [users, stored] = await Promise.all([
      this.users.findManyByIds(unique),
      this.settings.findMany(unique),
    ]);
    return users
      .filter((u) => !u.isDeleted)
      .map((u) => ({
        userId: u._id,
        email: u.email,
        name: u.name,
        emailVerified: u.emailVerified,
        locale: u.preferences.ui.locale,
        settings: effectiveSettings(stored.get(u._id) ?? null, u.preferences),
      }));
  }

  private view(s: EffectiveSettings, preferences: Preferences | null): SettingsView {
    const locale = preferences?.ui.locale ?? 'sv';
    return {
      kinds: NOTIFICATION_KINDS.map((kind) => ({
        kind,
        label: KIND_LABELS[kind][locale],
        ...s.kinds[kind],
        offers: {
          channels: [...KIND_RULES[kind].channels],
          leadDays: KIND_RULES[kind].leadDays,
          digest: KIND_RULES[kind].digest,
        },
      })),
      quietHours: s.quietHours,
      announcements: s.announcements,
      timeZone: 'Europe/Stockholm',
    };
  }
}

/** The kinds whose setting changed, as they were (`before`) or became (`after`). */
function changedKinds(before: EffectiveSettings, after: EffectiveSettings, side: 'before' | 'after') {
  const out: Record<string, unknown> = {};
  for (const kind of NOTIFICATION_KINDS) {
    if (JSON.stringify(before.kinds[kind]) !== JSON.stringify(after.kinds[kind]))
      out[kind] = (side === 'before' ? before : after).kinds[kind];
  }
  return out;
}
