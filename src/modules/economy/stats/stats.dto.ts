import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { calendarDate, currency } from '../common/economy.zod';

const MAX_DAYS = 3700; // about ten years

export class StatsQueryDto extends createZodDto(
  z
    .strictObject({
      from: calendarDate.describe('First date, inclusive'),
      to: calendarDate.describe('Last date, inclusive'),
      groupBy: z.enum(['month', 'category', 'supplier']).default('month'),
      currency: currency
        .default('SEK')
        .describe('Only transactions in this currency (amounts are never converted)'),
      rollup: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional()
        .describe('groupBy=category: add subcategories into their root category'),
    })
    .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] })
    .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= MAX_DAYS, {
      message: 'the range may span at most ten years',
      path: ['to'],
    }),
) {}

export class DashboardQueryDto extends createZodDto(
  z.strictObject({ currency: currency.default('SEK').describe('Only transactions in this currency') }),
) {}

const totals = {
  income: z.number().int(),
  expense: z.number().int(),
  net: z.number().int().describe('income − expense'),
  count: z.number().int(),
};

export class StatsResponseDto extends createZodDto(
  z.object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(['month', 'category', 'supplier']),
    currency: z.string(),
    totals: z.object(totals),
    groups: z.array(
      z.object({
        key: z.string().nullable().describe('YYYY-MM, category id or supplier id; null: none'),
        label: z.string().nullable().describe('Month, category path or supplier name'),
        ...totals,
      }),
    ),
  }),
) {}

const month = z.object({ period: z.string(), ...totals });
export class DashboardResponseDto extends createZodDto(
  z.object({
    currency: z.string(),
    today: z.string(),
    thisMonth: month,
    lastMonth: month,
    change: z
      .object({ income: z.number().nullable(), expense: z.number().nullable() })
      .describe('Percent vs last month'),
    topCategories: z.array(
      z.object({
        categoryId: z.string().nullable(),
        name: z.string().nullable(),
        amount: z.number().int(),
        share: z.number(),
      }),
    ),
    trend: z.array(month).describe('12 months, oldest first'),
    incomeVsExpense: z.object({ ...totals, savingsRate: z.number().nullable() }),
  }),
) {}
