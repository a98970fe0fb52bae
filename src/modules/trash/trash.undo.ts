import { z } from 'zod';
import { apiPath } from '../../common/http/api';

/** Where the trash routes live. */
export const TRASH_PATH = apiPath('trash');

/**
 * What every `DELETE` of a record answers: enough for the front end's "Ångra/Undo" button, and when the record will
 * be gone for good. Any module builds it with `buildUndoPayload` (TrashService.delete already returns it).
 */
export const undoPayloadSchema = z.object({
  id: z.string().describe('The deleted record'),
  type: z.string().describe('Its record type, e.g. `upload`'),
  deletedAt: z.iso.datetime(),
  undo: z.object({
    method: z.literal('POST'),
    href: z.string().describe(`\`${TRASH_PATH}/{id}/restore\``),
  }),
  expiresAt: z.iso.datetime().describe('When the retention job purges it for good'),
});
export type UndoPayload = z.infer<typeof undoPayloadSchema>;

export function buildUndoPayload(item: {
  id: string;
  type: string;
  deletedAt: Date;
  expiresAt: Date;
}): UndoPayload {
  return {
    id: item.id,
    type: item.type,
    deletedAt: item.deletedAt.toISOString(),
    undo: { method: 'POST', href: `${TRASH_PATH}/${encodeURIComponent(item.id)}/restore` },
    expiresAt: item.expiresAt.toISOString(),
  };
}
