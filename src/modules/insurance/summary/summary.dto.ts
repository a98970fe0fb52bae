import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { POLICY_TYPES } from '../common/policy-kinds';

export class InsuranceSummaryResponseDto extends createZodDto(
  z.object({
    today: z.string(),
    currency: z.literal('SEK'),
    policies: z.number().int().describe('Policies in SEK counted below'),
    yearlyPremiumTotal: z.number().int().describe('Öre per year, every SEK policy'),
    byType: z.array(
      z.object({ type: z.enum(POLICY_TYPES), policies: z.number().int(), yearlyPremium: z.number().int() }),
    ),
    renewals: z
      .array(
        z.object({
          id: z.string(),
          type: z.enum(POLICY_TYPES),
          insurerId: z.string().nullable(),
          insurerName: z.string().nullable(),
          nextRenewal: z.string(),
          daysLeft: z.number().int(),
          yearlyPremium: z.number().int(),
          currency: z.string(),
        }),
      )
      .describe('Renewals from today through the next 60 days, soonest first (every currency)'),
    otherCurrencies: z.number().int().describe('Policies in another currency, left out of the sums'),
  }),
) {}
