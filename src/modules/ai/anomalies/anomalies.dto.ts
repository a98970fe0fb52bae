import { z } from 'zod';
import { createZodDto, fitsView, pageQuery, pageResponse } from '../../../common/http/zod';
import { ANOMALY_KINDS, ANOMALY_SEVERITIES } from './anomalies.detect';
import { ANOMALY_STATUSES } from './anomalies.schema';
import type { AnomalyView } from './anomalies.service';

const period = z
  .string()
  .regex(/^(19|20|21)\d\d-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .describe('Month YYYY-MM');

export class ListAnomaliesQueryDto extends createZodDto(
  pageQuery
    .extend({
      kind: z.enum(ANOMALY_KINDS).optional(),
      severity: z.enum(ANOMALY_SEVERITIES).optional().describe('The lowest severity shown (default: all)'),
      status: z.enum(ANOMALY_STATUSES).optional(),
      from: period.optional().describe('First month (YYYY-MM) of the anomalies’ dates'),
      to: period.optional().describe('Last month (YYYY-MM)'),
    })
    .refine((q) => !q.from || !q.to || q.from <= q.to, {
      message: 'from must not be after to',
      path: ['from'],
    }),
) {}

const anomaly = fitsView<AnomalyView>()(
  z
    .object({
      id: z.string(),
      kind: z.enum(ANOMALY_KINDS),
      severity: z.enum(ANOMALY_SEVERITIES),
      status: z.enum(ANOMALY_STATUSES),
      date: z.string(),
      period: z.string(),
      amount: z.number().int().describe('Öre: the charge, or the month’s sum for a category spike'),
      expected: z
        .number()
        .int()
        .nullable()
        .describe('What was expected instead (öre), when there is such a figure'),
      reason: z.object({ sv: z.string(), en: z.string() }),
      records: z.object({
        transactionIds: z.array(z.string()),
        supplierId: z.string().nullable(),
        categoryId: z.string().nullable(),
        contractId: z.string().nullable(),
        billId: z.string().nullable(),
      }),
      resolvedBy: z.string().nullable(),
      resolvedAt: z.iso.datetime().nullable(),
      createdAt: z.iso.datetime(),
    })
    .meta({
      example: {
        id: 'A000812',
        kind: 'duplicate_charge',
        severity: 'medium',
        status: 'open',
        date: '2026-11-21',
        period: '2026-11',
        amount: 64_900,
        expected: 0,
        reason: {
          sv: 'ICA Nära drog 649,00 kr två gånger (2026-11-20 och 2026-11-21) – en dubbeldragning?',
          en: 'ICA Nära charged SEK 649.00 twice (2026-11-20 and 2026-11-21) – a duplicate charge?',
        },
        records: {
          transactionIds: ['A000790', 'A000811'],
          supplierId: 'A000120',
          categoryId: 'A000031',
          contractId: null,
          billId: null,
        },
        resolvedBy: null,
        resolvedAt: null,
        createdAt: '2026-11-21T09:14:03.000Z',
      },
    }),
);
export class AnomalyResponseDto extends createZodDto(anomaly) {}
export class AnomalyPageResponseDto extends createZodDto(pageResponse(anomaly)) {}
