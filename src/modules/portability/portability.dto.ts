import { z } from 'zod';
import { createZodDto } from '../../common/http/zod';
import { PORTABILITY_KINDS, PORTABILITY_STATUSES } from './portability.schema';

const typePlan = z.object({
  inArchive: z.number().int(),
  create: z.number().int(),
  reuse: z.number().int().describe('Mapped to an existing record with the same unique value'),
  alreadyImported: z.number().int().describe('Imported before from the same organization: skipped'),
  notImported: z
    .number()
    .int()
    .optional()
    .describe('Export-only types (bank data, bookkeeping): rows in the archive that the import never writes'),
  reason: z
    .object({ sv: z.string(), en: z.string() })
    .optional()
    .describe('Why an export-only type is not imported'),
});

export const portabilityJobSchema = z
  .object({
    id: z.string(),
    kind: z.enum(PORTABILITY_KINDS),
    status: z.enum(PORTABILITY_STATUSES),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    downloadUrl: z.string().nullable().describe('Export, once done: GET it for the ZIP'),
    size: z.number().int().nullable(),
    sha256: z.string().nullable(),
    plan: z
      .object({
        types: z.record(z.string(), typePlan).optional(),
        conflicts: z
          .array(
            z.object({
              type: z.string(),
              sourceId: z.string(),
              value: z.string(),
              resolution: z.literal('reused'),
              targetId: z.string(),
            }),
          )
          .optional(),
      })
      .passthrough()
      .nullable()
      .describe(
        'Import: the dry run (per type what would be created, reused, skipped; conflicts). Export: counts.',
      ),
    error: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
  })
  .meta({
    example: {
      id: 'A000200',
      kind: 'export',
      status: 'done',
      progress: { done: 14, total: 14 },
      downloadUrl: '/api/v1/export/A000200/file',
      size: 48213,
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      plan: { counts: { category: 20, transaction: 412 }, files: 3 },
      error: null,
      createdAt: '2026-12-02T10:00:00.000Z',
      completedAt: '2026-12-02T10:00:04.000Z',
      expiresAt: '2026-12-09T10:00:04.000Z',
    },
  });

export class PortabilityJobResponseDto extends createZodDto(portabilityJobSchema) {}
