import { createZodDto, fitsView } from '../../../common/http/zod';
import type { WarrantyView } from './warranties.service';
import { z } from 'zod';
import {
  amount,
  calendarDate,
  currency,
  multilineText,
  pageQuery,
  recordId,
  text,
} from '../../../common/http/zod';
import { undoPayloadSchema } from '../../trash/trash.undo';

const length = z
  .strictObject({ count: z.number().int().min(1).max(600), unit: z.enum(['months', 'years']) })
  .describe('"2 years from purchase": {count: 2, unit: "years"}');

const fields = {
  item: text(200),
  storeId: recordId.nullable().optional().describe('The store: a supplier'),
  storeName: text(120).nullable().optional(),
  purchaseDate: calendarDate
    .optional()
    .describe('Required unless it comes from fromTransactionId/fromUploadId'),
  price: amount.nullable().optional(),
  currency: currency.optional(),
  length: length.nullable().optional(),
  endDate: calendarDate.nullable().optional().describe('The last day covered, instead of a length'),
  reminderLeadDays: z.array(z.number().int().min(0).max(365)).max(5).nullable().optional(),
  notes: multilineText(2000).nullable().optional(),
};

export class CreateWarrantyDto extends createZodDto(
  z
    .strictObject({
      ...fields,
      fromTransactionId: recordId.optional().describe('Purchase date, store and price from this transaction'),
      fromUploadId: recordId
        .optional()
        .describe('The receipt; its transaction (if attached to one) gives the purchase'),
    })
    .meta({
      example: {
        item: 'Diskmaskin Bosch SMV6',
        storeName: 'Elgiganten',
        purchaseDate: '2026-03-02',
        price: 899_000,
        length: { count: 2, unit: 'years' },
      },
    }),
) {}

export class UpdateWarrantyDto extends createZodDto(
  z
    .strictObject({ ...fields, item: fields.item.optional() })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

export class ListWarrantiesQueryDto extends createZodDto(
  pageQuery.extend({
    status: z.enum(['active', 'expiring', 'expired']).optional().describe('expiring: ends within 60 days'),
  }),
) {}

const warranty = fitsView<WarrantyView>()(
  z.object({
    id: z.string(),
    item: z.string(),
    storeId: z.string().nullable(),
    storeName: z.string().nullable(),
    purchaseDate: z.string(),
    price: z.number().int().nullable(),
    currency: z.string(),
    lengthMonths: z.number().int().nullable(),
    endDate: z.string(),
    transactionId: z.string().nullable(),
    receiptUploadId: z.string().nullable(),
    reminderLeadDays: z.array(z.number().int()).nullable(),
    notes: z.string().nullable(),
    status: z.enum(['active', 'expiring', 'expired']),
    daysLeft: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class WarrantyResponseDto extends createZodDto(warranty) {}
export class WarrantyPageResponseDto extends createZodDto(
  z.object({ items: z.array(warranty), nextCursor: z.string().nullable() }),
) {}
export class DeletedWarrantyResponseDto extends createZodDto(undoPayloadSchema) {}
