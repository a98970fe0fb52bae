import { createZodDto, fitsView } from '../../../common/http/zod';
import type { PaymentView } from './payments.service';
import { z } from 'zod';
import { amount, calendarDate, multilineText, recordId } from '../../../common/http/zod';
import { undoPayloadSchema } from '../../trash/trash.undo';

export class ListPaymentsQueryDto extends createZodDto(
  z.strictObject({
    from: calendarDate.optional().describe('Default: 12 months ago'),
    to: calendarDate.optional().describe('Default: 3 months ahead'),
  }),
) {}

export class RecordPaymentDto extends createZodDto(
  z
    .strictObject({
      amount: amount.optional().describe('What it cost; default the linked transaction’s or bill’s amount'),
      transactionId: recordId.nullable().optional(),
      billId: recordId.nullable().optional(),
      note: multilineText(500).nullable().optional(),
    })
    .refine((v) => v.amount !== undefined || !!v.transactionId || !!v.billId, {
      message: 'give an amount, a transactionId or a billId',
      path: ['amount'],
    }),
) {}

const payment = fitsView<PaymentView>()(
  z.object({
    date: z.string(),
    scheduledAmount: z.number().int(),
    amount: z.number().int(),
    recorded: z.boolean(),
    transactionId: z.string().nullable(),
    billId: z.string().nullable(),
    note: z.string().nullable(),
  }),
);
export class PaymentResponseDto extends createZodDto(payment) {}
export class PaymentListResponseDto extends createZodDto(z.object({ items: z.array(payment) })) {}
export class DeletedPaymentResponseDto extends createZodDto(undoPayloadSchema) {}
