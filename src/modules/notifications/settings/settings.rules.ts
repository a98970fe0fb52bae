import type { Preferences } from '../../users/preferences';
import { KIND_RULES } from '../common/kinds';
import type { QuietHours } from '../common/schedule';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type NotificationChannel,
  type NotificationKind,
} from '../notifications.contract';
import type { StoredKindSetting } from './settings.schema';

export interface KindSetting {
  enabled: boolean;
  channels: NotificationChannel[];
  /** Days before the due date to be told (reminder-fed kinds); null: when the record's own reminder comes. */
  leadDays: number[] | null;
  delivery: 'instant' | 'digest';
}

export interface EffectiveSettings {
  kinds: Record<NotificationKind, KindSetting>;
  quietHours: QuietHours | null;
  announcements: boolean;
}

/** The account preference's channel names (`push` is the app's own list here). */
const FROM_PREFERENCE: Record<Preferences['notifications']['channels'][number], NotificationChannel> = {
  email: 'email',
  push: 'in_app',
  webhook: 'webhook',
};

/**
 * A kind nobody set follows the account's preferences (`preferences.notifications.channels`, push = in-app), always
 * with the in-app list; the weekly summary is off until asked for. Channels a kind does not offer are dropped.
 */
export function defaultKindSetting(kind: NotificationKind, preferences: Preferences | null): KindSetting {
  const rule = KIND_RULES[kind];
  const preferred = new Set<NotificationChannel>(['in_app']);
  for (const c of preferences?.notifications.channels ?? ['email']) preferred.add(FROM_PREFERENCE[c]);
  const channels = NOTIFICATION_CHANNELS.filter((c) => rule.channels.includes(c) && preferred.has(c));
  return {
    enabled: kind !== 'weekly_summary',
    channels: kind === 'weekly_summary' ? ['email'] : channels,
    leadDays: null,
    delivery: 'instant',
  };
}

export function effectiveSettings(
  stored: {
    kinds?: Partial<Record<NotificationKind, StoredKindSetting>>;
    quietHours?: QuietHours | null;
    announcements?: boolean;
  } | null,
  preferences: Preferences | null,
): EffectiveSettings {
  const kinds = {} as Record<NotificationKind, KindSetting>;
  for (const kind of NOTIFICATION_KINDS) {
    const own = stored?.kinds?.[kind] ?? {};
    const base = defaultKindSetting(kind, preferences);
    kinds[kind] = {
      enabled: own.enabled ?? base.enabled,
      channels: own.channels ?? base.channels,
      leadDays: own.leadDays !== undefined ? own.leadDays : base.leadDays,
      delivery: own.delivery ?? base.delivery,
    };
  }
  return { kinds, quietHours: stored?.quietHours ?? null, announcements: stored?.announcements ?? true };
}

/** What a kind does not offer among the requested settings (→ 422 CHANNEL_NOT_OFFERED), or null. */
export function unofferedSetting(kind: NotificationKind, setting: StoredKindSetting): string | null {
  const rule = KIND_RULES[kind];
  const channel = setting.channels?.find((c) => !rule.channels.includes(c));
  if (channel) return `${kind} is not sent by ${channel}`;
  if (setting.delivery === 'digest' && !rule.digest) return `${kind} has no daily digest`;
  if (setting.leadDays?.length && !rule.leadDays) return `${kind} has no lead days`;
  return null;
}
