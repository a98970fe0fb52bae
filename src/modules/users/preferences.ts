import { z } from 'zod';

export const NOTIFICATION_CHANNELS = ['email', 'push', 'webhook'] as const;
export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'D MMM YYYY'] as const;

export const preferencesSchema = z.strictObject({
  notifications: z.strictObject({
    channels: z
      .array(z.enum(NOTIFICATION_CHANNELS))
      .max(3)
      .refine((a) => new Set(a).size === a.length, 'no repeats'),
    /** Reminders this many days before a due date, e.g. [7, 1]. */
    daysBefore: z
      .array(z.number().int().min(0).max(90))
      .max(5)
      .refine((a) => new Set(a).size === a.length, 'no repeats'),
  }),
  ui: z.strictObject({
    locale: z.enum(['sv', 'en']),
    theme: z.enum(['system', 'light', 'dark']),
    dateFormat: z.enum(DATE_FORMATS),
  }),
  trash: z.strictObject({ retentionDays: z.number().int().min(1).max(365) }),
});

export type Preferences = z.infer<typeof preferencesSchema>;

/** What a new user gets: Swedish, ISO dates, mail reminders a week and a day ahead, 30 days in the trash. */
export const DEFAULT_PREFERENCES: Preferences = {
  notifications: { channels: ['email'], daysBefore: [7, 1] },
  ui: { locale: 'sv', theme: 'system', dateFormat: 'YYYY-MM-DD' },
  trash: { retentionDays: 30 },
};

/** PATCH body: any subset of the sections and their keys; unknown keys refused. */
export const preferencesPatchSchema = z.strictObject({
  notifications: preferencesSchema.shape.notifications.partial().optional(),
  ui: preferencesSchema.shape.ui.partial().optional(),
  trash: preferencesSchema.shape.trash.partial().optional(),
});

export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

export function mergePreferences(current: Preferences, patch: PreferencesPatch): Preferences {
  return {
    notifications: { ...current.notifications, ...patch.notifications },
    ui: { ...current.ui, ...patch.ui },
    trash: { ...current.trash, ...patch.trash },
  };
}
