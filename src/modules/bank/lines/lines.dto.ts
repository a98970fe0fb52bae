import { z } from 'zod';
import { createZodDto, fitsView, pageQuery, pageResponse, text } from '../../../common/http/zod';
import type { BookingService, MatchView } from '../matching/booking.service';
import { MATCH_STATES } from '../matching/matching.schema';
import type { Suggestion } from '../matching/types';
import { voucherResponse } from '../vouchers/vouchers.dto';
import type { LineView } from './line-view';
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

// ---- responses ----

const candidateType = z.enum(['bill', 'transaction']);
const sv_en = z.object({ sv: z.string(), en: z.string() });
const instant = z.iso.datetime();

const signals = z.object({
  reference: z
    .object({ kind: z.enum(['ocr', 'invoice_number']), value: z.string() })
    .nullable()
    .describe("The line carries the bill's OCR number, or its invoice number is in the text"),
  amount: z.object({
    kind: z.enum(['exact', 'within_tolerance', 'different']),
    differenceOre: z.number().int(),
    toleranceOre: z.number().int(),
    specific: z.literal(true).optional().describe('Exact and with öre (stronger evidence)'),
  }),
  date: z.object({
    days: z.number().int().describe("Line date minus the item's date (positive: paid after the due date)"),
    relativeTo: z.enum(['due_date', 'date']),
    score: z.number(),
  }),
  name: z.object({ similarity: z.number(), matched: z.string() }).nullable(),
  history: z.object({ approved: z.number().int(), rejected: z.number().int() }).nullable(),
  otherReference: z.string().optional().describe("The line's OCR number when it is not this bill's"),
  cardPurchase: z.literal(true).optional(),
  rivals: z
    .array(z.object({ type: candidateType, id: z.string(), label: z.string() }))
    .optional()
    .describe('Other candidates that explain the line almost as well, at most 2'),
});

const suggestion = fitsView<Suggestion>()(
  z.object({
    candidate: z.object({ type: candidateType, id: z.string() }),
    label: z.string(),
    confidence: z.number().min(0).max(1),
    why: sv_en,
    signals,
    counterpartyKey: z.string().describe('The policy key of this pairing'),
    scoreVersion: z.string(),
  }),
);
export class SuggestionListResponseDto extends createZodDto(z.array(suggestion)) {}

const lineResponse = fitsView<LineView>()(
  z.object({
    id: z.string(),
    bankAccountId: z.string(),
    importId: z.string(),
    lineNo: z.number().int(),
    bookingDate: z.string().describe('YYYY-MM-DD'),
    valueDate: z.string().nullable(),
    amount: z.number().int().describe('Signed öre: money in > 0, money out < 0'),
    currency: z.string(),
    text: z.string(),
    reference: z.string().nullable(),
    counterpartyName: z.string().nullable(),
    bankReference: z.string().nullable(),
    endToEndId: z.string().nullable(),
    balance: z.number().int().nullable(),
    transactionCode: z.string().nullable().describe('camt BkTxCd, e.g. PMNT-CCRD-POSD'),
    status: z.enum(LINE_STATUSES),
    suggestions: z.array(suggestion),
    suggestedAt: instant.nullable(),
    suggestionsStale: z.boolean(),
    contract: z
      .object({
        contractId: z.string(),
        name: z.string(),
        providerId: z.string(),
        paymentDate: z.string(),
        scheduledAmount: z.number().int(),
        confidence: z.number(),
        why: sv_en,
      })
      .nullable()
      .describe('An open money-out line that looks like the payment of a contract'),
    matchId: z.string().nullable(),
    voucherId: z.string().nullable(),
    ignored: z.object({ reason: z.string(), by: z.string(), at: instant }).nullable(),
    createdAt: instant,
  }),
);
export class LineResponseDto extends createZodDto(lineResponse) {}
export class LinePageResponseDto extends createZodDto(pageResponse(lineResponse)) {}

const matchResponse = fitsView<MatchView>()(
  z.object({
    id: z.string(),
    lineId: z.string(),
    candidate: z.object({ type: candidateType, id: z.string().nullable() }),
    created: z.boolean().describe('Approved with `create`: a new transaction'),
    contractPayment: z
      .object({
        contractId: z.string(),
        date: z.string(),
        state: z.enum(['pending', 'recorded', 'refused', 'removed']),
      })
      .nullable(),
    label: z.string(),
    state: z.enum(MATCH_STATES),
    voucherId: z.string().nullable(),
    correctionVoucherId: z.string().nullable(),
    confidence: z.number().nullable(),
    why: sv_en.nullable(),
    signals: signals.nullable(),
    scoreVersion: z.string().nullable(),
    counterpartyKey: z.string(),
    automatic: z.boolean(),
    policyId: z.string().nullable(),
    approvedBy: z.string().nullable(),
    approvedAt: instant.nullable(),
    undoneBy: z.string().nullable(),
    undoneAt: instant.nullable(),
    createdAt: instant,
  }),
);
export class MatchResponseDto extends createZodDto(matchResponse) {}

export class ApproveResponseDto extends createZodDto(
  fitsView<Awaited<ReturnType<BookingService['approve']>>>()(
    z.object({ match: matchResponse, voucher: voucherResponse }),
  ),
) {}

export class UndoMatchResponseDto extends createZodDto(
  fitsView<Awaited<ReturnType<BookingService['undo']>>>()(
    z.object({
      match: matchResponse,
      correction: voucherResponse.describe('The correcting voucher (rättelse)'),
      original: voucherResponse.describe('The original voucher, now with correctedBy'),
    }),
  ),
) {}

export class RejectResponseDto extends createZodDto(
  fitsView<Awaited<ReturnType<BookingService['reject']>>>()(
    z.object({
      lineId: z.string(),
      status: z.string(),
      suggestions: z.array(suggestion).describe('What is left to suggest'),
      policyId: z.string(),
    }),
  ),
) {}
