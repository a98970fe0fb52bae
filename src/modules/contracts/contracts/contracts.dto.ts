import { createZodDto, fitsView } from '../../../common/http/zod';
import type { ContractView } from './contracts.service';
import { z } from 'zod';
import {
  amount,
  calendarDate,
  currency,
  multilineText,
  pageQuery,
  recordId,
  text,
} from '../../../common/http/zod';
import { undoPayloadSchema } from '../../trash/trash.undo';
import { CONTRACT_KINDS, CONTRACT_STATUSES, FREQUENCIES, MAX_PRICE_STEPS } from './contract-kinds';

const notice = z
  .strictObject({
    unit: z.enum(['day', 'month']),
    count: z.number().int().min(0).max(730),
  })
  .describe('Notice period (uppsägningstid): e.g. {unit: "month", count: 1}');

const priceStep = z.strictObject({ from: calendarDate, amount });

const contractFields = {
  name: text(120),
  kind: z.enum(CONTRACT_KINDS),
  providerId: recordId.nullable().optional().describe('The provider: a supplier of the organization'),
  categoryId: recordId.nullable().optional(),
  currency: currency.optional().describe('Default SEK'),
  frequency: z.enum(FREQUENCIES),
  everyMonths: z.number().int().min(1).max(120).optional().describe('With frequency every_n_months'),
  variableAmount: z
    .boolean()
    .optional()
    .describe('The amount differs per payment (electricity, water): the amount is the estimate'),
  startDate: calendarDate.describe('The first payment day; payments follow every period from it'),
  bindingMonths: z.number().int().min(0).max(120).optional().describe('Bindningstid in months; default 0'),
  notice: notice.nullable().optional(),
  renewalMonths: z
    .number()
    .int()
    .min(1)
    .max(120)
    .nullable()
    .optional()
    .describe(
      'Renews automatically for this many months after the binding period; null: runs on until notice',
    ),
  endDate: calendarDate.nullable().optional().describe('The last day of a contract that has already ended'),
  notes: multilineText(2000).nullable().optional(),
  reminderLeadDays: z
    .array(z.number().int().min(0).max(365))
    .max(5)
    .nullable()
    .optional()
    .describe('Days before a deadline to be reminded (default [30, 7]); [] for none'),
};

export class CreateContractDto extends createZodDto(
  z
    .strictObject({
      ...contractFields,
      amount: amount.describe('Öre per period from the start date'),
      priceSteps: z
        .array(priceStep)
        .max(MAX_PRICE_STEPS - 1)
        .optional()
        .describe('Later prices, e.g. an intro price that steps up: [{from, amount}]'),
    })
    .meta({
      example: {
        name: 'Bahnhof Fiber 250/250',
        kind: 'broadband',
        frequency: 'monthly',
        amount: 39_900,
        priceSteps: [{ from: '2026-07-15', amount: 44_900 }],
        startDate: '2026-01-15',
        bindingMonths: 12,
        notice: { unit: 'month', count: 3 },
        renewalMonths: 12,
      },
    }),
) {}

export class UpdateContractDto extends createZodDto(
  z
    .strictObject({
      ...contractFields,
      name: contractFields.name.optional(),
      kind: contractFields.kind.optional(),
      frequency: contractFields.frequency.optional(),
      startDate: contractFields.startDate.optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

export class PriceChangeDto extends createZodDto(priceStep) {}

export class CancelContractDto extends createZodDto(
  z.strictObject({
    noticeDate: calendarDate.optional().describe('The day notice was given; default today'),
  }),
) {}

export class ListContractsQueryDto extends createZodDto(
  pageQuery.extend({
    status: z.enum(CONTRACT_STATUSES).optional(),
    kind: z.enum(CONTRACT_KINDS).optional(),
    categoryId: recordId.optional(),
    providerId: recordId.optional(),
    q: text(100).optional().describe('Part of the name, any case'),
  }),
) {}

const payment = z.object({ date: z.string(), amount: z.number().int() });
const contractResponse = fitsView<ContractView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(CONTRACT_KINDS),
    providerId: z.string().nullable(),
    categoryId: z.string().nullable(),
    currency: z.string(),
    frequency: z.enum(FREQUENCIES),
    everyMonths: z.number().int().nullable(),
    amount: z.number().int().describe('The price in effect today (öre per period)'),
    prices: z.array(z.object({ from: z.string(), amount: z.number().int() })),
    variableAmount: z.boolean(),
    startDate: z.string(),
    bindingMonths: z.number().int(),
    notice: z.object({ unit: z.enum(['day', 'month']), count: z.number().int() }).nullable(),
    renewalMonths: z.number().int().nullable(),
    cancelledOn: z.string().nullable(),
    endDate: z.string().nullable(),
    notes: z.string().nullable(),
    reminderLeadDays: z.array(z.number().int()).nullable(),
    status: z.enum(CONTRACT_STATUSES),
    outlook: z.object({
      today: z.string(),
      nextPayments: z.array(payment),
      boundUntil: z.string().nullable().describe('The last day of the current term'),
      lastDayToCancel: z
        .string()
        .nullable()
        .describe('The last day a notice ends the contract at boundUntil'),
      endsIfCancelledToday: z.string(),
      renewsOn: z.string().nullable(),
      monthlyCost: z.number().int(),
      yearlyCost: z.number().int(),
      costSoFar: z.number().int(),
      savingsIfCancelledToday: z.number().int().describe('Payments left this calendar year after that end'),
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class ContractResponseDto extends createZodDto(contractResponse) {}
export class ContractPageResponseDto extends createZodDto(
  z.object({ items: z.array(contractResponse), nextCursor: z.string().nullable() }),
) {}
export class DeletedContractResponseDto extends createZodDto(undoPayloadSchema) {}
