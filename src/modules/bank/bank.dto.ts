import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageQuery, text } from '../../common/http/zod';
import { isCalendarDate } from './common/dates';
import { IMPORT_FORMATS } from './imports/imports.schema';
import { LINE_STATUSES } from './lines/lines.schema';
import { csvMappingSchema } from './imports/csv-mapping.schema';

const calendarDate = z.string().refine(isCalendarDate, 'must be a date YYYY-MM-DD');
const globalId = z.string().regex(/^[A-Z]{1,3}\d{6,}$/, 'must be an id');
const basAccount = z.string().regex(/^\d{4}$/, 'must be a 4-digit BAS account');

// ---------- accounts ----------

const accountFields = {
  name: text(120),
  bank: text(120, { allowEmpty: true }).optional(),
  clearingNumber: z.string().trim().min(4).max(10).describe('4 digits, or 5 for Swedbank (8327-9)'),
  accountNumber: z.string().trim().min(1).max(30).describe('Up to 15 digits; spaces and dashes allowed'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .describe('ISO code, default SEK'),
  ledgerAccount: basAccount.optional().describe('BAS account the bank account is booked on, default 1930'),
};
export class CreateBankAccountDto extends createZodDto(z.strictObject(accountFields)) {}
export class UpdateBankAccountDto extends createZodDto(
  z
    .strictObject({
      name: accountFields.name.optional(),
      bank: accountFields.bank,
      clearingNumber: accountFields.clearingNumber.optional(),
      accountNumber: accountFields.accountNumber.optional(),
      currency: accountFields.currency,
      ledgerAccount: accountFields.ledgerAccount,
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}
export class PageQueryDto extends createZodDto(pageQuery) {}

// ---------- imports ----------

/** Multipart text fields next to `file`. `mapping` is a JSON text (a CSV column mapping). */
export const importFields = z.strictObject({
  format: z
    .enum(IMPORT_FORMATS)
    .optional()
    .describe('Default: camt053 when the file is a camt.053 document, else csv'),
  profileId: globalId.optional().describe('A saved CSV profile'),
  mapping: z
    .string()
    .max(10_000)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'mapping must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(csvMappingSchema)
    .optional()
    .describe(
      'CSV column mapping as JSON, e.g. {"separator":";","decimal":",","columns":{"date":"Datum","amount":"Belopp","text":"Text"}}',
    ),
  saveProfileAs: text(80).optional().describe('Save the mapping as a named profile'),
});
export class CreateImportDto extends createZodDto(importFields) {}

export class ListImportsQueryDto extends createZodDto(
  pageQuery.extend({ bankAccountId: globalId.optional() }),
) {}

export class CreateCsvProfileDto extends createZodDto(
  z.strictObject({ name: text(80), mapping: csvMappingSchema }),
) {}
export class UpdateCsvProfileDto extends createZodDto(
  z
    .strictObject({ name: text(80).optional(), mapping: csvMappingSchema.optional() })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

// ---------- lines ----------

export class ListLinesQueryDto extends createZodDto(
  pageQuery
    .extend({
      status: z.enum(LINE_STATUSES).optional(),
      bankAccountId: globalId.optional(),
      importId: globalId.optional(),
      from: calendarDate.optional().describe('Booking date from (inclusive)'),
      to: calendarDate.optional().describe('Booking date to (inclusive)'),
      amountMin: z.coerce.number().int().optional().describe('Signed öre'),
      amountMax: z.coerce.number().int().optional().describe('Signed öre'),
      q: text(100).optional().describe('Text, counterparty or reference contains'),
    })
    .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] }),
) {}

export class ApproveDto extends createZodDto(
  z
    .strictObject({
      candidateId: globalId.optional().describe('A suggested bill or transaction'),
      create: z
        .strictObject({ categoryId: globalId, supplierId: globalId.nullable().optional() })
        .optional()
        .describe('Or: book the line as a new transaction in this category'),
    })
    .refine(
      (v) => (v.candidateId === undefined) !== (v.create === undefined),
      'give either candidateId or create',
    ),
) {}
export class RejectDto extends createZodDto(z.strictObject({ candidateId: globalId })) {}
export class IgnoreDto extends createZodDto(z.strictObject({ reason: text(500) })) {}

// ---------- policies ----------

export class UpdatePolicyDto extends createZodDto(z.strictObject({ autoEnabled: z.boolean() })) {}

// ---------- vouchers ----------

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
