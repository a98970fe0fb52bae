import { z } from 'zod';
import { text } from '../../../common/http/zod';
import { CSV_DATE_FORMATS, CSV_SEPARATORS, type CsvMapping } from './csv.parser';

/**
 * A CSV column: header text (one line, no control characters), or 1-based position. The separator is an enum of its
 * own (a TAB is one of them), never free text.
 */
const column = z.union([text(100), z.number().int().min(1).max(200)]);

export const csvMappingSchema = z
  .strictObject({
    encoding: z.enum(['auto', 'utf-8', 'windows-1252']).default('auto'),
    separator: z.enum(CSV_SEPARATORS).default('auto'),
    decimal: z.enum([',', '.']).default(','),
    dateFormat: z.enum(CSV_DATE_FORMATS).default('YYYY-MM-DD'),
    skipLines: z.number().int().min(0).max(50).default(0),
    hasHeader: z.boolean().default(true),
    columns: z
      .strictObject({
        date: column,
        valueDate: column.optional(),
        amount: column.optional(),
        debit: column.optional(),
        credit: column.optional(),
        text: column.optional(),
        reference: column.optional(),
        counterparty: column.optional(),
        balance: column.optional(),
        bankReference: column.optional(),
      })
      .refine((c) => c.amount !== undefined || c.debit !== undefined || c.credit !== undefined, {
        message: 'map either amount or debit/credit',
      }),
  })
  .refine((m) => m.hasHeader || Object.values(m.columns).every((c) => typeof c === 'number'), {
    message: 'without a header line, columns must be given by position',
    path: ['columns'],
  }) satisfies z.ZodType<CsvMapping, unknown>;
