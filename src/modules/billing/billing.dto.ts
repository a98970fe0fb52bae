import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { email, pageQuery, text } from '../../common/http/zod';
import { isCalendarDate, isSupportedInstant } from './billing.dates';
import { billingPolicyPatchSchema } from './billing.policy';
import { BILLING_STATUSES, PLANS } from './billing.state';
import { normalizeOrgNumber } from '../../common/validation/swedish';
import { normalizeSwedishPostalCode } from './billing.validation';

/** A Stockholm calendar date `YYYY-MM-DD` (years 1970–2199). */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDate, 'not a real calendar date');

/** Routes whose body is entirely optional accept no body at all (Express leaves it undefined). */
const optionalBody = <T extends z.ZodType>(schema: T) => z.preprocess((value) => value ?? {}, schema);

const address = z
  .strictObject({
    line1: text(120),
    line2: text(120, { allowEmpty: true }).nullable().optional(),
    postalCode: text(20),
    city: text(80),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'ISO 3166 alpha-2, e.g. SE')
      .transform((c) => c.toUpperCase())
      .default('SE'),
  })
  .transform((a, ctx) => {
    if (a.country !== 'SE') return { ...a, line2: a.line2 ?? null };
    const postalCode = normalizeSwedishPostalCode(a.postalCode);
    if (!postalCode) {
      ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'a Swedish postnummer is NNN NN' });
      return z.NEVER;
    }
    return { ...a, line2: a.line2 ?? null, postalCode };
  });

export const billingDetailsPatch = z
  .strictObject({
    contactName: text(120).nullable().optional(),
    contactEmail: email.nullable().optional(),
    organizationNumber: z
      .string()
      .max(20)
      .transform((value, ctx) => {
        const normalized = normalizeOrgNumber(value);
        if (!normalized) {
          ctx.addIssue({
            code: 'custom',
            message: 'not a valid organisationsnummer (NNNNNN-NNNN with check digit)',
          });
          return z.NEVER;
        }
        return normalized;
      })
      .nullable()
      .optional()
      .describe('Organisationsnummer NNNNNN-NNNN; checked with its Luhn digit'),
    address: address.nullable().optional(),
    reference: text(120).nullable().optional().describe('"Er referens" on invoices'),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export class UpdateBillingDetailsDto extends createZodDto(billingDetailsPatch) {}

export class AcceptBillingInvitationDto extends createZodDto(
  z.strictObject({ token: z.string().min(10).max(200) }),
) {}

// ---- admin ----------------------------------------------------------------------------------------------------

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

export class CreateBillingInvitationDto extends createZodDto(
  z.strictObject({ email, plan: z.enum(['pro', 'trial']) }),
) {}

export class PatchPolicyDto extends createZodDto(billingPolicyPatchSchema) {}
