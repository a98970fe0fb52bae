import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { multilineText, pageQuery, text } from '../../../common/http/zod';
import { MASS_MAIL_STATUSES } from './mass-mail.schema';

const audience = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('all') }),
    z.strictObject({ type: z.literal('plan'), plan: z.enum(['free', 'trial', 'pro']) }),
    z.strictObject({
      type: z.literal('billing_status'),
      status: z.enum(['active', 'past_due', 'suspended']),
    }),
  ])
  .describe(
    'all: every user with a verified address; plan / billing_status: the owners of those organizations',
  );

export const createMassMailSchema = z
  .strictObject({
    subject: z.strictObject({ sv: text(150), en: text(150).optional().describe('Default: the Swedish one') }),
    body: z.strictObject({ sv: multilineText(20_000), en: multilineText(20_000).optional() }),
    audience,
  })
  .meta({
    example: {
      subject: { sv: 'Nyhet: aviseringar i WestWallet', en: 'New: notifications in WestWallet' },
      body: {
        sv: 'Hej!\n\nNu kan du få påminnelser som e-post, i appen eller via webhook.',
        en: 'Hi!\n\nYou can now get reminders by email, in the app or by webhook.',
      },
      audience: { type: 'plan', plan: 'pro' },
    },
  });
export class CreateMassMailDto extends createZodDto(createMassMailSchema) {}
export type CreateMassMail = z.infer<typeof createMassMailSchema>;

export class ListMassMailsQueryDto extends createZodDto(pageQuery) {}

const massMail = z.object({
  id: z.string(),
  subject: z.object({ sv: z.string(), en: z.string() }),
  audience: z.object({
    type: z.enum(['all', 'plan', 'billing_status']),
    plan: z.string().optional(),
    status: z.string().optional(),
  }),
  status: z.enum(MASS_MAIL_STATUSES),
  progress: z.object({
    total: z.number().int().nullable().describe('Known once the recipients are listed'),
    waiting: z.number().int().describe('Not handed to the mail queue yet (throttled)'),
    queued: z.number().int().describe('In the mail queue'),
    sent: z.number().int().describe('Accepted by the SMTP server'),
    failed: z.number().int().describe('Refused by the SMTP server'),
    skipped: z.number().int().describe('Left out: unsubscribed or address not verified'),
  }),
  ratePerMinute: z.number().int(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  preparedAt: z.iso.datetime().nullable(),
  doneAt: z.iso.datetime().nullable(),
});
export class MassMailResponseDto extends createZodDto(massMail) {}
export class MassMailPageResponseDto extends createZodDto(
  z.object({ items: z.array(massMail), nextCursor: z.string().nullable() }),
) {}
