import { z } from 'zod';
import { createZodDto, fitsView, pageQuery, text } from '../../../common/http/zod';
import type { BillingView, InvoiceView } from '../accounts/accounts.service';
import type {
  AccountDetail,
  AccountListItem,
  BillingFigures,
  BillingOverview,
  PolicyCard,
} from './admin.service';
import type { TransitionsRun } from '../accounts/transitions.service';
import type { BillingInvitationView } from '../invitations/invitations.service';
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

// ---------------------------------------------------------------------------------------------------------------
// Responses (OpenAPI schemas; the admin portal's typed client is generated from them)

const instant = z.iso.datetime();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const plan = z.enum(PLANS);
const billingStatus = z.enum(BILLING_STATUSES);
const access = z.enum(['full', 'read_only']);
const provider = z.enum(['manual', 'stripe']);

export class BillingOverviewResponseDto extends createZodDto(
  fitsView<BillingOverview>()(
    z
      .object({
        pro: z.number().int(),
        free: z.number().int(),
        trial: z.number().int(),
        past_due: z.number().int().describe('Pro accounts past their period end, in grace'),
        suspended: z.number().int(),
        total: z.number().int(),
      })
      .meta({ example: { pro: 12, free: 40, trial: 5, past_due: 2, suspended: 1, total: 57 } }),
  ),
) {}

export const adminFiguresQuery = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')
    .optional()
    .describe('Revenue month (Stockholm); default the current month'),
});
export class AdminFiguresQueryDto extends createZodDto(adminFiguresQuery) {}

export class BillingFiguresResponseDto extends createZodDto(
  fitsView<BillingFigures>()(
    z
      .object({
        revenue: z.object({
          month: z.string().describe('YYYY-MM (Stockholm)'),
          amount: z.number().int().describe('Sum of the invoices paid in the month, öre'),
          currency: z.literal('SEK'),
          invoices: z.number().int().describe('How many invoices were paid in the month'),
        }),
        trialsEnding: z.object({
          from: day.describe('Monday of this week (Stockholm)'),
          to: day.describe('Sunday of this week'),
          count: z.number().int().describe('Trials in force now whose last day falls in the week'),
        }),
      })
      .meta({
        example: {
          revenue: { month: '2026-12', amount: 1_245_000, currency: 'SEK', invoices: 12 },
          trialsEnding: { from: '2026-11-30', to: '2026-12-06', count: 3 },
        },
      }),
  ),
) {}

const latestInvoice = z.object({
  invoiceId: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  dueDate: day,
  status: z.enum(['open', 'paid']),
  paidAt: instant.nullable(),
});

export const accountListItemResponse = fitsView<AccountListItem>()(
  z.object({
    organizationId: z.string(),
    name: z.string(),
    type: z.string(),
    createdAt: instant,
    ownerEmail: z.string().nullable(),
    plan,
    billingStatus,
    access,
    periodEnd: instant.nullable(),
    graceUntil: instant.nullable(),
    trialEnd: instant.nullable(),
    currentPeriodPaid: z.boolean(),
    provider,
    latestInvoice: latestInvoice.nullable(),
  }),
);

export class AccountPageResponseDto extends createZodDto(
  z.object({
    items: z.array(accountListItemResponse),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
  }),
) {}

export const invoiceViewResponse = fitsView<InvoiceView>()(
  z.object({
    id: z.string(),
    invoiceId: z.string(),
    amount: z.number().int().describe('öre'),
    currency: z.string(),
    dueDate: day,
    status: z.enum(['open', 'paid']),
    paidAt: instant.nullable(),
    overdue: z.boolean(),
    provider,
    createdAt: instant,
  }),
);
export class InvoiceViewResponseDto extends createZodDto(invoiceViewResponse) {}

export const billingViewResponse = fitsView<BillingView>()(
  z.object({
    organizationId: z.string(),
    plan,
    billingStatus,
    provider,
    periodEnd: instant.nullable(),
    graceUntil: instant.nullable(),
    trialEnd: instant.nullable(),
    currentPeriodPaid: z.boolean(),
    access,
    banner: z
      .object({
        level: z.enum(['info', 'warning', 'error']),
        code: z.string(),
        message: z.object({ sv: z.string(), en: z.string() }),
        daysLeft: z.number().int().nullable(),
      })
      .nullable()
      .describe('The banner the customer sees, null when none'),
    details: z
      .object({
        contactName: z.string().nullable(),
        contactEmail: z.string().nullable(),
        organizationNumber: z.string().nullable(),
        address: z
          .object({
            line1: z.string(),
            line2: z.string().nullable(),
            postalCode: z.string(),
            city: z.string(),
            country: z.string(),
          })
          .nullable(),
        reference: z.string().nullable(),
      })
      .nullable(),
    invoices: z.array(invoiceViewResponse).describe('Payment history, newest first'),
  }),
);
export class BillingViewResponseDto extends createZodDto(billingViewResponse) {}

export class AccountDetailResponseDto extends createZodDto(
  fitsView<AccountDetail>()(
    z.object({
      organization: z.object({ id: z.string(), name: z.string(), type: z.string(), createdAt: instant }),
      owners: z.array(z.object({ userId: z.string(), name: z.string(), email: z.string() })),
      account: billingViewResponse,
      notices: z
        .array(z.object({ kind: z.string(), type: z.enum(['transition', 'reminder']), at: instant }))
        .describe('Transition mails and reminders sent, newest first'),
    }),
  ),
) {}

export class PolicyCardResponseDto extends createZodDto(
  fitsView<PolicyCard>()(
    z.object({
      policy: z.object({
        periodDays: z.number().int(),
        graceDays: z.number().int(),
        trialDays: z.number().int(),
        signUpPlan: z.enum(['free', 'trial']),
        afterGrace: z.enum(['free_suspended', 'free']),
        freeAccess: z.enum(['read_only', 'full']),
        periodReminderDays: z.number().int(),
        graceReminderDays: z.number().int(),
        trialReminderDays: z.number().int(),
      }),
      rules: z.array(z.object({ key: z.string(), sv: z.string(), en: z.string() })),
      updatedAt: instant.nullable(),
      updatedBy: z.string().nullable(),
    }),
  ),
) {}

export class BillingInvitationResponseDto extends createZodDto(
  fitsView<BillingInvitationView>()(
    z.object({
      id: z.string(),
      email: z.string(),
      plan: z.enum(['pro', 'trial']),
      expiresAt: instant,
      existingCustomer: z
        .boolean()
        .describe('An account had this address when it was sent: the mail asks to sign in and accept'),
    }),
  ),
) {}

const stateSummary = z.object({ plan, billingStatus });
export class TransitionsRunResponseDto extends createZodDto(
  fitsView<TransitionsRun>()(
    z.object({
      date: day.describe('The Stockholm date of the run'),
      at: instant,
      trigger: z.enum(['daily', 'admin']),
      evaluated: z.number().int().describe('Accounts looked at (pro and trial)'),
      changes: z
        .array(
          z.object({
            organizationId: z.string(),
            state: z.object({
              plan,
              billingStatus,
              periodEnd: instant.nullable(),
              graceUntil: instant.nullable(),
              trialEnd: instant.nullable(),
              periodPaid: z.boolean(),
            }),
            transitions: z.array(
              z.object({
                kind: z.enum([
                  'past_due',
                  'grace_expired',
                  'trial_expired',
                  'pro_started',
                  'payment_received',
                  'trial_started',
                  'downgraded',
                ]),
                reason: z.string(),
                from: stateSummary,
                to: stateSummary,
                notified: z.boolean(),
              }),
            ),
            reminders: z.array(
              z.object({
                kind: z.enum(['period_ending', 'grace_ending', 'trial_ending']),
                daysLeft: z.number().int(),
              }),
            ),
          }),
        )
        .describe('Every account that changed or got a reminder'),
    }),
  ),
) {}
