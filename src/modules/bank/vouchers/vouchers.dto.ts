import { z } from 'zod';
import { createZodDto, fitsView } from '../../../common/http/zod';
import type { BookkeepingSettings, VoucherView, VouchersService } from './vouchers.service';

const fiscalYear = z.coerce.number().int().min(1900).max(2999);
export class ListVouchersQueryDto extends createZodDto(
  z.strictObject({
    fiscalYear: fiscalYear.optional().describe('Default: the current fiscal year'),
    series: z
      .string()
      .regex(/^[A-Z]{1,3}$/)
      .optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
) {}
export class ExportSieQueryDto extends createZodDto(z.strictObject({ fiscalYear: fiscalYear.optional() })) {}

export class UpdateSettingsDto extends createZodDto(
  z
    .strictObject({
      orgNumber: z
        .string()
        .trim()
        .min(10)
        .max(13)
        .nullable()
        .optional()
        .describe('Organisationsnummer (or personnummer) for SIE #ORGNR'),
      fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
      series: z
        .string()
        .regex(/^[A-Z]{1,3}$/)
        .optional(),
      billBooking: z.enum(['supplier_debt', 'expense']).optional(),
      autoThreshold: z.number().int().min(1).max(100).optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

// ---- responses ----

const nullableId = z.string().nullable();
export const voucherResponse = fitsView<VoucherView>()(
  z
    .object({
      id: z.string(),
      series: z.string(),
      number: z.number().int(),
      label: z.string().describe('Series and number as printed, e.g. B1'),
      fiscalYear: z.number().int(),
      date: z.string().describe('YYYY-MM-DD'),
      text: z.string(),
      rows: z.array(
        z.object({
          account: z.string().describe('BAS account'),
          accountName: z.string(),
          debit: z.number().int().describe('öre, ≥ 0'),
          credit: z.number().int().describe('öre, ≥ 0'),
          categoryId: nullableId,
        }),
      ),
      totals: z.object({ debit: z.number().int(), credit: z.number().int() }),
      source: z.object({
        bankLineId: nullableId,
        bankAccountId: nullableId,
        billId: nullableId,
        transactionId: nullableId,
        importId: nullableId,
        matchId: nullableId,
      }),
      createdBy: z.string(),
      createdAt: z.iso.datetime(),
      approvedBy: nullableId,
      approvedAt: z.iso.datetime().nullable(),
      automatic: z.boolean(),
      corrects: nullableId.describe('The voucher this one corrects'),
      correctedBy: nullableId.describe('The voucher that corrects this one'),
      policy: z
        .object({
          id: z.string(),
          counterpartyKey: z.string(),
          autoEnabledBy: nullableId,
          autoEnabledAt: z.iso.datetime().nullable(),
        })
        .nullable(),
      scoreVersion: nullableId,
      confidence: z.number().nullable(),
    })
    .meta({
      example: {
        id: 'A000311',
        series: 'B',
        number: 1,
        label: 'B1',
        fiscalYear: 2026,
        date: '2026-11-25',
        text: 'Vattenfall, faktura 4711',
        rows: [
          { account: '2440', accountName: 'Leverantörsskulder', debit: 125_000, credit: 0, categoryId: null },
          { account: '1930', accountName: 'Företagskonto', debit: 0, credit: 125_000, categoryId: null },
        ],
        totals: { debit: 125_000, credit: 125_000 },
        source: {
          bankLineId: 'A000300',
          bankAccountId: 'A000100',
          billId: 'A000200',
          transactionId: null,
          importId: 'A000299',
          matchId: 'A000310',
        },
        createdBy: 'A000007',
        createdAt: '2026-11-26T08:00:00.000Z',
        approvedBy: 'A000007',
        approvedAt: '2026-11-26T08:00:00.000Z',
        automatic: false,
        corrects: null,
        correctedBy: null,
        policy: null,
        scoreVersion: 'v1',
        confidence: 0.97,
      },
    }),
);
export class VoucherResponseDto extends createZodDto(voucherResponse) {}

export class VoucherPageResponseDto extends createZodDto(
  fitsView<Awaited<ReturnType<VouchersService['list']>>>()(
    z.object({
      fiscalYear: z.number().int().describe('The fiscal year listed (its start year)'),
      items: z.array(voucherResponse),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
    }),
  ),
) {}

export class BookkeepingSettingsResponseDto extends createZodDto(
  fitsView<BookkeepingSettings>()(
    z
      .object({
        orgNumber: z
          .string()
          .nullable()
          .describe('Organisationsnummer; a personnummer is masked (••••••-••76) for non-admins'),
        orgNumberKind: z.enum(['organisation', 'personal']).nullable(),
        fiscalYearStartMonth: z.number().int().min(1).max(12),
        series: z.string(),
        billBooking: z.enum(['supplier_debt', 'expense']),
        autoThreshold: z.number().int(),
      })
      .meta({
        example: {
          orgNumber: '556677-8899',
          orgNumberKind: 'organisation',
          fiscalYearStartMonth: 1,
          series: 'B',
          billBooking: 'supplier_debt',
          autoThreshold: 3,
        },
      }),
  ),
) {}
