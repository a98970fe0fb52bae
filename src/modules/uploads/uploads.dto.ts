import { createZodDto, fitsView } from '../../common/http/zod';
import { z } from 'zod';
import { pageQuery } from '../../common/http/zod';
import { GLOBAL_ID_PATTERN } from '../../infrastructure/mongo/global-id';
import { UPLOAD_STATUSES, VARIANT_NAMES } from './uploads.schema';
import type { UploadView } from './uploads.service';

const globalId = z.string().max(30).regex(GLOBAL_ID_PATTERN, 'a record id such as A000123');

/** The multipart text fields next to `file`. */
export class CreateUploadDto extends createZodDto(
  z.strictObject({
    recordId: globalId
      .optional()
      .describe('Attach the file to this record of the organization (any type that can own files)'),
  }),
) {}

export class ListUploadsQueryDto extends createZodDto(
  pageQuery.extend({ recordId: globalId.optional().describe('Only files attached to this record') }),
) {}

export class ContentQueryDto extends createZodDto(
  z.strictObject({
    variant: z
      .enum(VARIANT_NAMES)
      .default('original')
      .describe('original (metadata removed), compressed (WebP, ≤ 2048 px) or thumbnail (WebP, ≤ 320 px)'),
  }),
) {}

const variantResponse = z.object({
  mimeType: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  href: z.string(),
});

export const uploadResponse = fitsView<UploadView>()(
  z.object({
    id: z.string().describe('The file’s global id'),
    name: z.string().describe('The name it was uploaded with (a label; never used for storage)'),
    mimeType: z.string().describe('Decided from the bytes'),
    kind: z.enum(['image', 'document']),
    size: z.number().int().describe('Bytes as uploaded'),
    status: z.enum(UPLOAD_STATUSES),
    width: z.number().int().nullable().describe('Displayed width (after EXIF rotation), for images'),
    height: z.number().int().nullable(),
    variants: z.object({
      original: variantResponse.optional(),
      compressed: variantResponse.optional(),
      thumbnail: variantResponse.optional(),
    }),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    note: z.string().nullable().describe('e.g. HEIC_NOT_CONVERTED: only the original is available'),
    recordId: z.string().nullable(),
    recordType: z.string().nullable(),
    uploadedBy: z.string(),
    createdAt: z.iso.datetime(),
  }),
);
export type UploadResponse = z.infer<typeof uploadResponse>;
export class UploadResponseDto extends createZodDto(uploadResponse) {}
export class UploadPageResponseDto extends createZodDto(
  z.object({ items: z.array(uploadResponse), nextCursor: z.string().nullable() }),
) {}

export function toUploadResponse(view: UploadView): UploadResponse {
  return { ...view, createdAt: view.createdAt.toISOString() };
}
