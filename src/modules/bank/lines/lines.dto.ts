import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { pageQuery, text } from '../../../common/http/zod';
import { globalId } from '../common/bank.zod';
import { isCalendarDate } from '../common/dates';
import { LINE_STATUSES } from './line-status';

const calendarDate = z.string().refine(isCalendarDate, 'must be a date YYYY-MM-DD');

export class ListLinesQueryDto extends createZodDto(
  pageQuery
    .extend({
      status: z.enum(LINE_STATUSES).optional(),
      bankAccountId: globalId.optional(),
      importId: globalId.optional(),
      from: calendarDate.optional().describe('Booking date from (inclusive)'),
      to: calendarDate.optional().describe('Booking date to (inclusive)'),
      amountMin: z.coerce.number().int().optional().describe('Signed öre'),
      amountMax: z.coerce.number().int().optional().describe('Signed öre'),
      q: text(100).optional().describe('Text, counterparty or reference contains'),
    })
    .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] }),
) {}

export class ApproveDto extends createZodDto(
  z
    .strictObject({
      candidateId: globalId.optional().describe('A suggested bill or transaction'),
      create: z
        .strictObject({
          categoryId: globalId,
          supplierId: globalId.nullable().optional(),
          contractId: globalId
            .optional()
            .describe(
              "Record the new transaction as the payment of this contract (the line's `contract` hint)",
            ),
          contractPaymentDate: calendarDate
            .optional()
            .describe("The contract's scheduled payment day; default the day of the line's contract hint"),
        })
        .refine((c) => c.contractPaymentDate === undefined || c.contractId !== undefined, {
          message: 'contractPaymentDate needs contractId',
          path: ['contractPaymentDate'],
        })
        .optional()
        .describe('Or: book the line as a new transaction in this category'),
    })
    .refine(
      (v) => (v.candidateId === undefined) !== (v.create === undefined),
      'give either candidateId or create',
    ),
) {}
export class RejectDto extends createZodDto(z.strictObject({ candidateId: globalId })) {}
export class IgnoreDto extends createZodDto(z.strictObject({ reason: text(500) })) {}
