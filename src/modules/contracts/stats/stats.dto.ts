import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { CONTRACT_KINDS } from '../contracts/contract-kinds';

export class ContractStatsQueryDto extends createZodDto(
  z.strictObject({
    months: z.coerce
      .number()
      .int()
      .min(1)
      .max(24)
      .default(3)
      .describe('Upcoming payments for this many months'),
  }),
) {}

const costGroup = <K extends z.ZodType>(key: K) =>
  z.object({ key, count: z.number().int(), monthly: z.number().int(), yearly: z.number().int() });

export class ContractStatsResponseDto extends createZodDto(
  z.object({
    today: z.string(),
    currency: z.string(),
    running: z.number().int(),
    monthlyTotal: z.number().int(),
    yearlyTotal: z.number().int(),
    byKind: z.array(costGroup(z.enum(CONTRACT_KINDS))),
    byCategory: z.array(costGroup(z.string().nullable())),
    upcoming: z.array(
      z.object({
        period: z.string(),
        total: z.number().int(),
        payments: z.array(
          z.object({ contractId: z.string(), name: z.string(), date: z.string(), amount: z.number().int() }),
        ),
      }),
    ),
    history: z.array(z.object({ period: z.string(), total: z.number().int() })),
    priceIncreases: z.array(
      z.object({
        contractId: z.string(),
        name: z.string(),
        from: z.string(),
        before: z.number().int(),
        after: z.number().int(),
        yearlyIncrease: z.number().int(),
      }),
    ),
    otherCurrencies: z.number().int(),
  }),
) {}
