import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from '../notifications.contract';

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00–23:59)')
  .describe('Stockholm wall-clock time HH:MM');

const kindSetting = z.strictObject({
  enabled: z.boolean().optional(),
  channels: z
    .array(z.enum(NOTIFICATION_CHANNELS))
    .max(3)
    .refine((a) => new Set(a).size === a.length, 'no repeats')
    .optional(),
  leadDays: z
    .array(z.number().int().min(0).max(90))
    .min(1)
    .max(5)
    .refine((a) => new Set(a).size === a.length, 'no repeats')
    .nullable()
    .optional()
    .describe('Days before the due date to be told; null: when the record’s own reminder comes'),
  delivery: z.enum(['instant', 'digest']).optional().describe('digest: email in one mail a day (07:00)'),
});

const kindsPatch = z
  .strictObject(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, kindSetting.optional()])))
  .describe('Only the kinds to change; each field left out keeps its value');

export const settingsPatchSchema = z
  .strictObject({
    kinds: kindsPatch.optional(),
    quietHours: z
      .strictObject({ start: hhmm, end: hhmm })
      .nullable()
      .optional()
      .describe(
        'No mail or webhook between start and end (Europe/Stockholm); the in-app list fills as usual',
      ),
    announcements: z
      .boolean()
      .optional()
      .describe('Mass mails from WestWallet (the unsubscribe link turns this off)'),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
  .meta({
    example: {
      kinds: {
        bill_due: { channels: ['email', 'in_app'], leadDays: [3], delivery: 'instant' },
        weekly_summary: { enabled: true },
      },
      quietHours: { start: '22:00', end: '07:00' },
    },
  });
export class UpdateNotificationSettingsDto extends createZodDto(settingsPatchSchema) {}
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

const kindView = z.object({
  kind: z.enum(NOTIFICATION_KINDS),
  label: z.string().describe("In the user's language"),
  enabled: z.boolean(),
  channels: z.array(z.enum(NOTIFICATION_CHANNELS)),
  leadDays: z.array(z.number().int()).nullable(),
  delivery: z.enum(['instant', 'digest']),
  offers: z.object({
    channels: z.array(z.enum(NOTIFICATION_CHANNELS)),
    leadDays: z.boolean(),
    digest: z.boolean(),
  }),
});
export class NotificationSettingsResponseDto extends createZodDto(
  z.object({
    kinds: z.array(kindView),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    announcements: z.boolean(),
    timeZone: z.literal('Europe/Stockholm'),
  }),
) {}

export class UnsubscribeQueryDto extends createZodDto(
  z.strictObject({ token: z.string().min(1).max(200).describe('From the link in the mail') }),
) {}
export class UnsubscribeResponseDto extends createZodDto(
  z.object({ unsubscribed: z.literal(true), message: z.string() }),
) {}
