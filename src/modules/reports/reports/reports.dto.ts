import { createZodDto, fitsView } from '../../../common/http/zod';
import type { ReportView } from './reports.service';
import { z } from 'zod';
import { pageQuery, recordId } from '../../../common/http/zod';
import { REPORT_KINDS } from '../data/report-data';
import { REPORT_FORMATS, REPORT_STATUSES } from './reports.schema';

const basAccount = z.string().regex(/^\d{4}$/, 'must be a BAS account number such as 5010');
const period = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'must be YYYY-MM (monthly) or YYYY (yearly)')
  .describe('`YYYY-MM` for a monthly report, `YYYY` for a yearly one');
const locale = z
  .enum(['sv', 'en'])
  .describe("The report's language; default the user's (`preferences.ui.locale`)");

const selection = {
  kind: z.enum(REPORT_KINDS),
  period,
  locale: locale.optional(),
  categoryIds: z.array(recordId).max(50).optional().describe('Only these categories and their subcategories'),
  accounts: z
    .array(basAccount)
    .max(50)
    .optional()
    .describe(
      'Only categories with these BAS accounts (and their subcategories); with categoryIds: both must hold',
    ),
};

export class CreateReportDto extends createZodDto(
  z
    .strictObject({ ...selection, format: z.enum(REPORT_FORMATS) })
    .refine((v) => (v.kind === 'monthly') === (v.period.length === 7), {
      message: 'monthly takes YYYY-MM, yearly takes YYYY',
      path: ['period'],
    })
    .meta({ example: { kind: 'monthly', period: '2026-11', format: 'pdf', locale: 'sv' } }),
) {}

const list = (item: z.ZodString, max: number) =>
  z
    .string()
    .max(2000)
    .transform((s) => s.split(',').filter((x) => x !== ''))
    .pipe(z.array(item).max(max));

export class ReportDataQueryDto extends createZodDto(
  z
    .strictObject({
      kind: z.enum(REPORT_KINDS),
      period,
      locale: locale.optional(),
      categoryIds: list(recordId, 50).optional().describe('Comma-separated category ids'),
      accounts: list(basAccount, 50).optional().describe('Comma-separated BAS account numbers'),
    })
    .refine((v) => (v.kind === 'monthly') === (v.period.length === 7), {
      message: 'monthly takes YYYY-MM, yearly takes YYYY',
      path: ['period'],
    }),
) {}

export class ReportListQueryDto extends createZodDto(pageQuery) {}

export class MonthlyMailDto extends createZodDto(
  z.strictObject({ enabled: z.boolean() }).meta({ example: { enabled: true } }),
) {}

export class MonthlyMailResponseDto extends createZodDto(z.object({ enabled: z.boolean() })) {}

const reportView = fitsView<ReportView>()(
  z
    .object({
      id: z.string(),
      kind: z.enum(REPORT_KINDS),
      period: z.string(),
      format: z.enum(REPORT_FORMATS),
      locale: z.enum(['sv', 'en']),
      filters: z.object({ categoryIds: z.array(z.string()), accounts: z.array(z.string()) }),
      status: z.enum(REPORT_STATUSES),
      progress: z.object({ done: z.number().int(), total: z.number().int() }),
      downloadUrl: z.string().nullable().describe('While `done`: GET it for the file (the same sign-in)'),
      size: z.number().int().nullable().describe('Bytes, once done'),
      error: z.string().nullable(),
      createdAt: z.iso.datetime(),
      completedAt: z.iso.datetime().nullable(),
      expiresAt: z.iso.datetime().nullable().describe('The file is removed then (7 days after it was made)'),
    })
    .meta({
      example: {
        id: 'A000321',
        kind: 'monthly',
        period: '2026-11',
        format: 'pdf',
        locale: 'sv',
        filters: { categoryIds: [], accounts: [] },
        status: 'done',
        progress: { done: 7, total: 7 },
        downloadUrl: '/api/v1/reports/A000321/file',
        size: 48213,
        error: null,
        createdAt: '2026-12-02T09:14:03.120Z',
        completedAt: '2026-12-02T09:14:04.410Z',
        expiresAt: '2026-12-09T09:14:04.410Z',
      },
    }),
);
export class ReportResponseDto extends createZodDto(reportView) {}
export class ReportListResponseDto extends createZodDto(
  z.object({ items: z.array(reportView), nextCursor: z.string().nullable() }),
) {}

const sums = {
  income: z.number().int(),
  expense: z.number().int(),
  net: z.number().int(),
  count: z.number().int(),
};
export class ReportDataResponseDto extends createZodDto(
  z.object({
    kind: z.enum(REPORT_KINDS),
    period: z.string(),
    from: z.string(),
    to: z.string(),
    generatedOn: z.string(),
    organizationName: z.string(),
    locale: z.enum(['sv', 'en']),
    currency: z.string(),
    filters: z.object({ categories: z.array(z.string()), accounts: z.array(z.string()) }),
    totals: z.object(sums),
    trend: z
      .array(z.object({ period: z.string(), ...sums }))
      .describe('12 months ending with the period, oldest first'),
    byCategory: z.array(
      z.object({ id: z.string().nullable(), name: z.string(), share: z.number(), ...sums }),
    ),
    expenseShares: z.array(z.object({ name: z.string(), amount: z.number().int(), share: z.number() })),
    bySupplier: z.array(z.object({ id: z.string().nullable(), name: z.string(), ...sums })),
    contracts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.string(),
        status: z.string(),
        monthly: z.number().int(),
        yearly: z.number().int(),
        inPeriod: z.number().int(),
      }),
    ),
    cars: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        registration: z.string(),
        total: z.number().int(),
        byType: z.array(z.object({ type: z.string(), cost: z.number().int() })),
      }),
    ),
    upcoming: z
      .array(
        z.object({
          date: z.string(),
          name: z.string(),
          amount: z.number().int(),
          source: z.enum(['contract', 'bill']),
        }),
      )
      .describe('Contract payment days and open bills from today to the end of the third month'),
  }),
) {}
