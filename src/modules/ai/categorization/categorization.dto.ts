import { z } from 'zod';
import { amount, calendarDate, createZodDto, recordId, text } from '../../../common/http/zod';
import { MAX_BATCH } from './categorization.constants';
import { SUGGESTION_SUBJECTS } from './categorization.schema';

const direction = z.enum(['expense', 'income']).describe('expense: money out; income: money in');

export const categorizeItem = z.strictObject({
  supplier: text(200)
    .optional()
    .describe('The supplier or counterparty as printed (e.g. "ICA NARA STHLM 4432")'),
  supplierId: recordId
    .optional()
    .describe("One of the organization's suppliers (its history and default count)"),
  text: text(500).describe('The transaction text or bank line text'),
  amount: amount.describe('Öre, > 0 (the direction says which way)'),
  date: calendarDate
    .optional()
    .describe('Calendar date YYYY-MM-DD (accepted; the model does not use it yet)'),
  direction,
});

const EXAMPLE = {
  supplier: 'ICA NARA STHLM 4432',
  text: 'KORTKÖP 261128 ICA NARA STHLM 4432',
  amount: 45_650,
  date: '2026-11-28',
  direction: 'expense',
};

/**
 * One payment (the fields of `categorizeItem` at the top level) or a batch (`items` alone). One object rather than a
 * union: a DTO class needs an object schema; the refinement keeps the two forms apart.
 */
export const categorizeSchema = categorizeItem
  .partial({ text: true, amount: true, direction: true })
  .extend({
    items: z
      .array(categorizeItem)
      .min(1)
      .max(MAX_BATCH)
      .optional()
      .describe(`A batch: 1–${MAX_BATCH} payments (then no other field)`),
  })
  .superRefine((v, ctx) => {
    const single = Object.keys(v).filter((k) => k !== 'items');
    if (v.items) {
      if (single.length)
        ctx.addIssue({ code: 'custom', path: [single[0]], message: 'send one payment or items, not both' });
      return;
    }
    for (const field of ['text', 'amount', 'direction'] as const) {
      if (v[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'required' });
    }
  })
  .meta({ example: EXAMPLE });
export type CategorizeBody = z.infer<typeof categorizeSchema>;
export class CategorizeDto extends createZodDto(categorizeSchema) {}

const reason = z.object({ sv: z.string(), en: z.string() });
const ranked = z.object({
  categoryId: z.string(),
  name: z.string().describe("The organization's category name"),
  confidence: z.number().min(0).max(1).describe('Calibrated: of answers at 0.9, about 9 in 10 are right'),
  reasons: z.array(reason).describe('Why, in Swedish and English'),
});
export const categorizeResult = z.object({
  merchant: z.object({
    key: z.string().describe('Canonical merchant key (lower-case, folded): what history and grouping use'),
    name: z.string().describe('Canonical merchant name, e.g. "ICA"'),
    known: z.boolean().describe('Found in the built-in knowledge base'),
    channel: z.enum(['card', 'swish', 'intermediary', 'giro', 'transfer']).nullable(),
  }),
  categories: z
    .array(ranked)
    .describe('Best first, at most 3; empty when the organization has no category of that kind'),
});
export class CategorizeResultDto extends createZodDto(
  categorizeResult.meta({
    example: {
      merchant: { key: 'ica', name: 'ICA', known: true, channel: 'card' },
      categories: [
        {
          categoryId: 'A000123',
          name: 'Livsmedel',
          confidence: 0.97,
          reasons: [
            {
              sv: 'Samma leverantör har bokförts som Livsmedel 14 av 15 gånger',
              en: 'Same supplier was booked as Livsmedel 14 of 15 times',
            },
          ],
        },
      ],
    },
  }),
) {}
export class CategorizeBatchResultDto extends createZodDto(z.object({ items: z.array(categorizeResult) })) {}

const idList = z
  .string()
  .max(100 * 12)
  .transform((v) => [
    ...new Set(
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(recordId).min(1).max(100));
export class SuggestionsQueryDto extends createZodDto(
  z
    .strictObject({
      transactionIds: idList.optional().describe('Comma-separated transaction ids (1–100)'),
      bankLineIds: idList.optional().describe('Comma-separated bank line ids (1–100)'),
    })
    .refine(
      (v) => (v.transactionIds ? 1 : 0) + (v.bankLineIds ? 1 : 0) === 1,
      'send transactionIds or bankLineIds',
    ),
) {}
export class SuggestionsResponseDto extends createZodDto(
  z.object({
    items: z.array(
      z.object({
        id: z.string().describe('The transaction or bank line id'),
        subject: z.enum(SUGGESTION_SUBJECTS),
        applied: z
          .boolean()
          .describe('true: the top category was set automatically; false: only a suggestion'),
        threshold: z.number(),
        merchant: z.object({ key: z.string(), name: z.string() }),
        categories: z.array(
          z.object({ categoryId: z.string(), confidence: z.number(), reasons: z.array(reason) }),
        ),
        createdAt: z.iso.datetime(),
      }),
    ),
  }),
) {}

export const settingsPatchSchema = z
  .strictObject({
    autoApply: z
      .boolean()
      .optional()
      .describe('Set categories automatically on created and imported transactions'),
    threshold: z
      .number()
      .min(0.5)
      .max(1)
      .optional()
      .describe('Confidence from which a category is set automatically (below it: a suggestion)'),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
  .meta({ example: { autoApply: true, threshold: 0.98 } });
export class UpdateAiSettingsDto extends createZodDto(settingsPatchSchema) {}

export class AiSettingsResponseDto extends createZodDto(
  z.object({
    autoApply: z.boolean(),
    threshold: z.number(),
    defaults: z.object({ autoApply: z.boolean(), threshold: z.number() }),
  }),
) {}
