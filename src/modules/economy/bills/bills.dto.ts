import { createZodDto, fitsView } from '../../../common/http/zod';
import type { BillView } from './bills.service';
import { z } from 'zod';
import { multilineText, pageQuery, text } from '../../../common/http/zod';
import { normalizeOcr } from '../../../common/validation/swedish';
import { amount, calendarDate, currency, recordId } from '../common/economy.zod';
import { BILL_STATUSES } from './bills.schema';

const ocr = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const digits = normalizeOcr(value);
    if (!digits) {
      ctx.addIssue({ code: 'custom', message: 'not a valid OCR number (2–25 digits, mod-10 check digit)' });
      return z.NEVER;
    }
    return digits;
  })
  .nullable()
  .describe('OCR reference: mod-10 checked; with a length digit when the supplier uses one');

const fields = {
  supplierId: recordId,
  invoiceNumber: text(60).nullable().optional(),
  ocr: ocr.optional(),
  amount,
  currency: currency.optional().describe('ISO 4217, default SEK'),
  dueDate: calendarDate,
  categoryId: recordId
    .nullable()
    .optional()
    .describe("Expense category. Omitted: the supplier's default category (when an expense category)"),
  description: multilineText(500, { allowEmpty: true }).nullable().optional(),
};

export class CreateBillDto extends createZodDto(z.strictObject(fields)) {}

export class UpdateBillDto extends createZodDto(
  z
    .strictObject({
      ...fields,
      supplierId: fields.supplierId.optional(),
      amount: fields.amount.optional(),
      dueDate: fields.dueDate.optional(),
      status: z
        .enum(BILL_STATUSES)
        .optional()
        .describe('paid: paid outside bank matching; open: not paid after all'),
      paidAt: calendarDate.nullable().optional().describe('With status paid; default today'),
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change')
    .refine((v) => !(v.status === 'open' && v.paidAt), {
      message: 'an open bill has no paidAt',
      path: ['paidAt'],
    }),
) {}

export class ListBillsQueryDto extends createZodDto(
  pageQuery
    .extend({
      status: z.enum(BILL_STATUSES).optional(),
      supplierId: recordId.optional(),
      dueFrom: calendarDate.optional(),
      dueTo: calendarDate.optional(),
    })
    .refine((q) => !q.dueFrom || !q.dueTo || q.dueFrom <= q.dueTo, {
      message: 'must not be before dueFrom',
      path: ['dueTo'],
    }),
) {}

const billResponse = fitsView<BillView>()(
  z.object({
    id: z.string(),
    supplierId: z.string(),
    supplierName: z.string().nullable(),
    invoiceNumber: z.string().nullable(),
    ocr: z.string().nullable(),
    amount: z.number().int(),
    currency: z.string(),
    dueDate: z.string(),
    period: z.string(),
    status: z.enum(BILL_STATUSES),
    paidAt: z.string().nullable(),
    bankLineId: z.string().nullable().describe('The bank line that paid it'),
    categoryId: z.string().nullable(),
    description: z.string().nullable(),
    overdue: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class BillResponseDto extends createZodDto(billResponse) {}
export class BillPageResponseDto extends createZodDto(
  z.object({ items: z.array(billResponse), nextCursor: z.string().nullable() }),
) {}
