import { createZodDto, fitsView } from '../../../common/http/zod';
import type { CategoryView } from './categories.service';
import { z } from 'zod';
import { undoPayloadSchema } from '../../trash/trash.undo';
import { recordId, shortText } from '../common/economy.zod';
import { CATEGORY_KINDS } from './categories.schema';

const basAccount = z
  .string()
  .regex(/^[1-8]\d{3}$/, 'must be a 4-digit BAS account number (1000–8999)')
  .nullable()
  .describe('BAS account number for bookkeeping, e.g. 5010');

export class ListCategoriesQueryDto extends createZodDto(
  z.strictObject({
    kind: z.enum(CATEGORY_KINDS).optional().describe('Only income or only expense categories'),
  }),
) {}

export class CreateCategoryDto extends createZodDto(
  z.strictObject({
    name: shortText(80),
    kind: z.enum(CATEGORY_KINDS),
    parentId: recordId.nullable().optional().describe('Parent category (same kind); omitted/null: a root'),
    basAccount: basAccount.optional(),
  }),
) {}

export class UpdateCategoryDto extends createZodDto(
  z
    .strictObject({
      name: shortText(80).optional(),
      parentId: recordId
        .nullable()
        .optional()
        .describe('Move under another category of the same kind; null: make it a root'),
      basAccount: basAccount.optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

export class DeleteCategoryQueryDto extends createZodDto(
  z.strictObject({
    moveTo: recordId
      .optional()
      .describe(
        'Category (same kind, not below this one) that receives its transactions, bills, suppliers and subcategories',
      ),
  }),
) {}

const categoryResponse = fitsView<CategoryView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(CATEGORY_KINDS),
    parentId: z.string().nullable(),
    path: z.string().describe('Names from the root down, e.g. "Boende / El"'),
    basAccount: z.string().nullable(),
    isDefault: z.boolean().describe("Created from the organization's default set"),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class CategoryResponseDto extends createZodDto(categoryResponse) {}

const usage = z.object({
  transactions: z.number().int(),
  bills: z.number().int(),
  suppliers: z.number().int(),
  subcategories: z.number().int(),
});
export class CategoryDeletedResponseDto extends createZodDto(
  undoPayloadSchema.extend({
    moved: usage.nullable().describe('What moved to moveTo (null without moveTo)'),
  }),
) {}
