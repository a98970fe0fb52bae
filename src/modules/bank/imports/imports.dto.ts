import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { pageQuery, text } from '../../../common/http/zod';
import { globalId } from '../common/bank.zod';
import { csvMappingSchema } from './csv-mapping.schema';
import { IMPORT_FORMATS } from './import-status';

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
