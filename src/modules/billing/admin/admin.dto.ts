import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageQuery, text } from '../../../common/http/zod';
import { isCalendarDate, isSupportedInstant } from '../common/billing.dates';
import { billingPolicyPatchSchema } from '../policy/billing.policy';
import { BILLING_STATUSES, PLANS } from '../accounts/billing.state';

/** A Stockholm calendar date `YYYY-MM-DD` (years 1970–2199). */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDate, 'not a real calendar date');

/** Routes whose body is entirely optional accept no body at all (Express leaves it undefined). */
const optionalBody = <T extends z.ZodType>(schema: T) => z.preprocess((value) => value ?? {}, schema);

export const ACCOUNT_SORTS = [
  '-createdAt',
  'createdAt',
  'name',
  '-name',
  'periodEnd',
  '-periodEnd',
  'graceUntil',
  '-graceUntil',
  'trialEnd',
  '-trialEnd',
] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

export const adminAccountsQuery = pageQuery.extend({
  plan: z.enum(PLANS).optional(),
  status: z.enum(BILLING_STATUSES).optional(),
  q: text(100).optional().describe('Substring of the organization name or an owner email'),
  sort: z
    .enum(ACCOUNT_SORTS)
    .default('-createdAt')
    .describe(
      'Organization order (createdAt, name) or a billing date; a date sort lists only accounts with that date',
    ),
});
export class AdminAccountsQueryDto extends createZodDto(adminAccountsQuery) {}
export type AdminAccountsQuery = z.infer<typeof adminAccountsQuery>;

export class GrantProDto extends createZodDto(
  optionalBody(
    z.strictObject({
      periodEnd: calendarDate
        .optional()
        .describe('The day the period ends (Pro through the day before); default today + periodDays'),
    }),
  ),
) {}

export class GrantTrialDto extends createZodDto(
  optionalBody(
    z.strictObject({
      days: z.number().int().min(1).max(365).optional().describe('Default: policy trialDays'),
    }),
  ),
) {}

export class DowngradeDto extends createZodDto(
  optionalBody(z.strictObject({ reason: text(300).optional() })),
) {}

export class CreateInvoiceDto extends createZodDto(
  z.strictObject({
    invoiceId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,30}$/, 'the Fortnox invoice number (letters, digits, dashes)')
      .describe('Fortnox invoice number'),
    amount: z.number().int().min(1).max(100_000_000).describe('Amount in öre (SEK minor units)'),
    dueDate: calendarDate,
  }),
) {}

export class MarkPaidDto extends createZodDto(
  optionalBody(
    z.strictObject({
      paidAt: z
        .union([
          calendarDate,
          z.iso
            .datetime({ offset: true })
            .refine((v) => isSupportedInstant(new Date(v)), 'not a supported date'),
        ])
        .optional()
        .describe('Payment date (YYYY-MM-DD, Stockholm) or instant; default now'),
    }),
  ),
) {}

export class PatchPolicyDto extends createZodDto(billingPolicyPatchSchema) {}
