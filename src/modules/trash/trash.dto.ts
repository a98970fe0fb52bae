import { createZodDto, fitsView } from '../../common/http/zod';
import { z } from 'zod';
import { pageQuery } from '../../common/http/zod';
import type { PurgeResult, RestoreResult, TrashItemView } from './trash.service';
import { undoPayloadSchema } from './trash.undo';

export class TrashListQueryDto extends createZodDto(
  pageQuery.extend({
    type: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,49}$/, 'a record type such as upload')
      .optional()
      .describe('Only items of this record type'),
  }),
) {}

const recordRef = z.object({ type: z.string(), id: z.string() });

export const trashItemResponse = fitsView<TrashItemView>()(
  z.object({
    id: z.string().describe('The deleted record (a global id)'),
    type: z.string().describe('Its record type'),
    label: z.string().describe('What it was: a name, a file name'),
    deletedAt: z.iso.datetime(),
    deletedBy: z.object({ id: z.string(), name: z.string().nullable() }),
    expiresAt: z.iso.datetime().describe('When the retention job purges it for good'),
    cascaded: z.array(recordRef).describe('Records that went to the trash with it and come back with it'),
    undo: undoPayloadSchema.shape.undo,
  }),
);
export type TrashItemResponse = z.infer<typeof trashItemResponse>;

export const trashPageResponse = z.object({
  items: z.array(trashItemResponse),
  nextCursor: z.string().nullable(),
});
export class TrashPageResponseDto extends createZodDto(trashPageResponse) {}

export class RestoreResponseDto extends createZodDto(
  z.object({
    id: z.string(),
    type: z.string(),
    restored: z.array(z.string()),
  }) satisfies z.ZodType<RestoreResult>,
) {}

export class PurgeResponseDto extends createZodDto(
  z.object({
    id: z.string(),
    type: z.string(),
    purged: z.array(z.string()),
  }) satisfies z.ZodType<PurgeResult>,
) {}

export class EmptyResponseDto extends createZodDto(
  z.object({
    purged: z.number().int().describe('Trash items removed for good'),
    skipped: z.number().int().describe('Bookkeeping records that cannot be purged'),
  }),
) {}

export class UndoPayloadDto extends createZodDto(undoPayloadSchema) {}

export function toTrashItemResponse(item: TrashItemView): TrashItemResponse {
  return { ...item, deletedAt: item.deletedAt.toISOString(), expiresAt: item.expiresAt.toISOString() };
}
