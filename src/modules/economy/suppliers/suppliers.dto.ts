import { createZodDto, fitsView } from '../../../common/http/zod';
import type { SupplierView } from './suppliers.service';
import { z } from 'zod';
import { pageQuery, text } from '../../../common/http/zod';
import { normalizeBankgiro, normalizeOrgNumber, normalizePlusgiro } from '../../../common/validation/swedish';
import { undoPayloadSchema } from '../../trash/trash.undo';
import { recordId, shortText } from '../common/economy.zod';

/** A Swedish number checked and normalized by `normalize`; `null` clears it. */
const swedishNumber = (normalize: (v: string) => string | null, message: string, description: string) =>
  z
    .string()
    .max(30)
    .transform((value, ctx) => {
      const normalized = normalize(value);
      if (!normalized) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return normalized;
    })
    .nullable()
    .describe(description);

const orgNumber = swedishNumber(
  normalizeOrgNumber,
  'not a valid organisationsnummer (NNNNNN-NNNN, check digit)',
  'Organisationsnummer, e.g. 556036-0793 (Luhn-checked)',
);
const bankgiro = swedishNumber(
  normalizeBankgiro,
  'not a valid bankgiro number (NNN-NNNN or NNNN-NNNN, check digit)',
  'Bankgiro, e.g. 5050-1055',
);
const plusgiro = swedishNumber(
  normalizePlusgiro,
  'not a valid plusgiro number (check digit)',
  'Plusgiro, e.g. 90 20 03-3',
);
const aliases = z
  .array(text(100))
  .max(20)
  .describe('Names banks print for this supplier (stored lower-case)');

const supplierFields = {
  name: shortText(120),
  orgNumber: orgNumber.optional(),
  bankgiro: bankgiro.optional(),
  plusgiro: plusgiro.optional(),
  aliases: aliases.optional(),
  defaultCategoryId: recordId
    .nullable()
    .optional()
    .describe('Category new bills and transactions of this supplier get'),
  ocrLengthDigit: z
    .boolean()
    .optional()
    .describe('Its OCR numbers carry a length digit (checked on bills); default false'),
};

export class CreateSupplierDto extends createZodDto(z.strictObject(supplierFields)) {}

export class UpdateSupplierDto extends createZodDto(
  z
    .strictObject({ ...supplierFields, name: supplierFields.name.optional() })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

export class ListSuppliersQueryDto extends createZodDto(
  pageQuery.extend({
    q: text(100).optional().describe('Part of the name or an alias, any case'),
  }),
) {}

const supplierResponse = fitsView<SupplierView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    orgNumber: z.string().nullable(),
    bankgiro: z.string().nullable(),
    plusgiro: z.string().nullable(),
    aliases: z.array(z.string()),
    defaultCategoryId: z.string().nullable(),
    ocrLengthDigit: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class SupplierResponseDto extends createZodDto(supplierResponse) {}
export class SupplierPageResponseDto extends createZodDto(
  z.object({ items: z.array(supplierResponse), nextCursor: z.string().nullable() }),
) {}
/** DELETE answers the trash's undo payload (POST its `undo.href` to restore). */
export class DeletedResponseDto extends createZodDto(undoPayloadSchema) {}
