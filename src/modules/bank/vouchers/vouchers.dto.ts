import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';

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
