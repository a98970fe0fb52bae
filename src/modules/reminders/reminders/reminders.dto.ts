import { createZodDto, fitsView } from '../../../common/http/zod';
import type { ReminderView } from './reminders.service';
import { z } from 'zod';
import { calendarDate, pageQuery } from '../../../common/http/zod';
import { REMINDER_KINDS } from '../reminders.contract';
import { REMINDER_STATES } from './reminders.schema';

export class ListRemindersQueryDto extends createZodDto(
  pageQuery.extend({
    due: calendarDate.optional().describe('The day to look at (default today, Europe/Stockholm)'),
    locale: z.enum(['sv', 'en']).optional().describe('Language of `title`; default sv'),
  }),
) {}

export class SnoozeReminderDto extends createZodDto(
  z.strictObject({ until: calendarDate.describe('Hidden through this day') }),
) {}

export class ReminderSettingsDto extends createZodDto(
  z
    .strictObject({
      kinds: z.partialRecord(z.enum(REMINDER_KINDS), z.boolean()).describe('{"contract.cancel": false, …}'),
    })
    .refine((v) => Object.keys(v.kinds).length > 0, 'nothing to change'),
) {}

const reminder = fitsView<ReminderView>()(
  z.object({
    id: z.string(),
    kind: z.enum(REMINDER_KINDS),
    sourceType: z.string(),
    sourceId: z.string(),
    title: z.string(),
    titles: z.object({ sv: z.string(), en: z.string() }),
    lead: z.string().describe('Which lead time made it due: d30, d7, km1000, d7+km1000'),
    remindOn: z.string(),
    dueDate: z.string().nullable(),
    dueOdometer: z.number().nullable(),
    amount: z.number().int().nullable(),
    currency: z.string().nullable(),
    state: z.enum(REMINDER_STATES),
    snoozedUntil: z.string().nullable(),
    createdAt: z.iso.datetime(),
  }),
);
export class ReminderResponseDto extends createZodDto(reminder) {}
export class ReminderPageResponseDto extends createZodDto(
  z.object({ items: z.array(reminder), nextCursor: z.string().nullable() }),
) {}
export class ReminderSettingsResponseDto extends createZodDto(
  z.object({ kinds: z.array(z.object({ kind: z.enum(REMINDER_KINDS), enabled: z.boolean() })) }),
) {}
