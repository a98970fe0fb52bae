import { z } from 'zod';
import { createZodDto, fitsView, pageQuery, pageResponse, text } from '../../../common/http/zod';
import { globalId } from '../common/bank.zod';
import { csvMappingSchema } from './csv-mapping.schema';
import { IMPORT_ERROR_CODES, IMPORT_FORMATS, IMPORT_STATUSES } from './import-status';
import type { CsvProfileView, ImportView, ImportsService } from './imports.service';

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

// ---- responses ----

const rejectedRow = z.object({ line: z.number().int(), reason: z.string() });
const importResponse = fitsView<ImportView>()(
  z
    .object({
      id: z.string(),
      bankAccountId: z.string(),
      format: z.enum(IMPORT_FORMATS),
      fileName: z.string(),
      fileSize: z.number().int().describe('bytes'),
      sha256: z.string(),
      profileId: z.string().nullable(),
      status: z.enum(IMPORT_STATUSES),
      progress: z.object({
        processed: z.number().int(),
        total: z.number().int(),
        percent: z.number().int().min(0).max(100),
      }),
      counts: z.object({
        created: z.number().int(),
        duplicates: z.number().int(),
        rejected: z.number().int(),
        suggested: z.number().int(),
        autoBooked: z.number().int(),
      }),
      duplicates: z.array(rejectedRow).describe('Line numbers and reasons, the first 1000'),
      rejected: z.array(rejectedRow).describe('Line numbers and reasons, the first 1000'),
      detailsTruncated: z.boolean(),
      encoding: z.string().nullable(),
      error: z.string().nullable().describe('Why it failed, safe to show (English)'),
      errorCode: z.enum(IMPORT_ERROR_CODES).nullable(),
      errorText: z.object({ sv: z.string(), en: z.string() }).nullable(),
      createdBy: z.string(),
      createdAt: z.iso.datetime(),
      startedAt: z.iso.datetime().nullable(),
      finishedAt: z.iso.datetime().nullable(),
    })
    .meta({
      example: {
        id: 'A000299',
        bankAccountId: 'A000100',
        format: 'camt053',
        fileName: 'kontoutdrag-2026-11.xml',
        fileSize: 48213,
        sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
        profileId: null,
        status: 'queued',
        progress: { processed: 0, total: 0, percent: 0 },
        counts: { created: 0, duplicates: 0, rejected: 0, suggested: 0, autoBooked: 0 },
        duplicates: [],
        rejected: [],
        detailsTruncated: false,
        encoding: null,
        error: null,
        errorCode: null,
        errorText: null,
        createdBy: 'A000007',
        createdAt: '2026-11-26T08:00:00.000Z',
        startedAt: null,
        finishedAt: null,
      },
    }),
);
export class ImportResponseDto extends createZodDto(importResponse) {}
export class ImportPageResponseDto extends createZodDto(pageResponse(importResponse)) {}

const csvProfileResponse = fitsView<CsvProfileView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    mapping: csvMappingSchema,
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class CsvProfileResponseDto extends createZodDto(csvProfileResponse) {}
export class CsvProfileListResponseDto extends createZodDto(z.array(csvProfileResponse)) {}

export class RematchResponseDto extends createZodDto(
  fitsView<Awaited<ReturnType<ImportsService['requestRematch']>>>()(
    z.object({ queued: z.literal(true), jobId: z.string() }),
  ),
) {}
