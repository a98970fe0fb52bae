import { createZodDto, fitsView } from '../../../common/http/zod';
import type { TransactionView } from './transactions.service';
import { z } from 'zod';
import { multilineText, pageQuery, text } from '../../../common/http/zod';
import {
  amount,
  amountQuery,
  calendarDate,
  currency,
  moneyType,
  recordId,
  shortText,
} from '../common/economy.zod';
import { TRANSACTION_SOURCES } from './transactions.schema';
import { MAX_BULK } from './transactions.service';

const tags = z.array(text(40)).max(20).describe('Free tags (stored lower-case)');

const fields = {
  date: calendarDate,
  amount,
  type: moneyType.describe('income or expense: the direction of the amount'),
  currency: currency.optional().describe('ISO 4217, default SEK'),
  description: shortText(500),
  supplierId: recordId.nullable().optional(),
  categoryId: recordId
    .nullable()
    .optional()
    .describe(
      "Category of the same kind. Omitted: the supplier's default category (when of that kind); null: none",
    ),
  tags: tags.optional(),
  note: multilineText(2000, { allowEmpty: true }).nullable().optional(),
};

const createTransaction = z.strictObject(fields);
export class CreateTransactionDto extends createZodDto(createTransaction) {}

export class BulkCreateTransactionsDto extends createZodDto(
  z.strictObject({
    items: z
      .array(
        createTransaction.extend({
          source: z.enum(['manual', 'import']).optional().describe('Default manual'),
        }),
      )
      .min(1)
      .max(MAX_BULK)
      .describe(`1–${MAX_BULK} transactions`),
  }),
) {}

export class UpdateTransactionDto extends createZodDto(
  z
    .strictObject({
      ...fields,
      date: fields.date.optional(),
      amount: fields.amount.optional(),
      type: fields.type.optional(),
      description: fields.description.optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

export const TRANSACTION_SORTS = ['-date', 'date', '-amount', 'amount'] as const;

export class ListTransactionsQueryDto extends createZodDto(
  pageQuery
    .extend({
      from: calendarDate.optional().describe('On or after this date'),
      to: calendarDate.optional().describe('On or before this date'),
      type: moneyType.optional(),
      categoryId: recordId.optional().describe('This category and all its subcategories'),
      supplierId: recordId.optional(),
      tag: text(40).optional(),
      text: text(100).optional().describe('Part of the description or note, any case'),
      amountMin: amountQuery.optional().describe('Öre, inclusive'),
      amountMax: amountQuery.optional().describe('Öre, inclusive'),
      currency: currency.optional(),
      sort: z
        .enum(TRANSACTION_SORTS)
        .default('-date')
        .describe('Field, `-` for descending; default -date (newest first)'),
    })
    .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] })
    .refine((q) => q.amountMin === undefined || q.amountMax === undefined || q.amountMin <= q.amountMax, {
      message: 'must not be below amountMin',
      path: ['amountMax'],
    }),
) {}

const transactionResponse = fitsView<TransactionView>()(
  z.object({
    id: z.string(),
    date: z.string(),
    period: z.string().describe('YYYY-MM of date'),
    amount: z.number().int(),
    type: moneyType,
    currency: z.string(),
    description: z.string(),
    note: z.string().nullable(),
    supplierId: z.string().nullable(),
    categoryId: z.string().nullable(),
    tags: z.array(z.string()),
    source: z.enum(TRANSACTION_SOURCES),
    bankLineId: z.string().nullable().describe('The bank line matched with it; null when not linked'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class TransactionResponseDto extends createZodDto(transactionResponse) {}
export class TransactionPageResponseDto extends createZodDto(
  z.object({ items: z.array(transactionResponse), nextCursor: z.string().nullable() }),
) {}
export class BulkCreatedResponseDto extends createZodDto(
  z.object({
    count: z.number().int(),
    ids: z.array(z.string()).describe('Consecutive ids, in the order of items'),
  }),
) {}
