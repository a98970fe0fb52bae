import { z } from 'zod';
import { createZodDto, fitsView, recordId } from '../../../common/http/zod';
import type { ForecastView } from './forecast.service';

const categoryList = z
  .string()
  .max(2000)
  .transform((v) => v.split(',').map((s) => s.trim()))
  .pipe(
    z
      .array(z.union([recordId, z.literal('none')]))
      .min(1)
      .max(50),
  )
  .describe('Comma-separated category ids; `none` is uncategorized spending');

export class ForecastQueryDto extends createZodDto(
  z.strictObject({
    months: z.coerce
      .number()
      .int()
      .min(1)
      .max(12)
      .default(3)
      .describe('Months ahead, this month first (1–12)'),
    categories: categoryList.optional(),
  }),
) {}

const bilingual = z.object({ sv: z.string(), en: z.string() });
const month = z.object({
  period: z.string().describe('YYYY-MM'),
  contracts: z.number().int().describe('Known contract payments (öre)'),
  bills: z.number().int().describe('Open bills due (öre)'),
  history: z.number().int().describe('What history adds beyond the known payments (öre)'),
  total: z.number().int(),
  low: z.number().int().describe('≈ 90 % prediction interval, low end'),
  high: z.number().int(),
});
const sum = month.omit({ period: true });
const part = z.object({
  categoryId: z.string().nullable().describe('null for the total; `none` for uncategorized'),
  name: z.string().nullable(),
  months: z.array(month),
  sum,
  explanation: bilingual,
});

export const forecastResponseSchema = fitsView<ForecastView>()(
  z
    .object({
      today: z.string(),
      currency: z.string(),
      from: z.string().describe('First month of the forecast (the current month)'),
      to: z.string(),
      historyFrom: z.string().nullable(),
      historyTo: z.string(),
      historyMonths: z.number().int(),
      categories: z.array(part),
      total: part,
    })
    .meta({
      example: {
        today: '2026-12-02',
        currency: 'SEK',
        from: '2026-12',
        to: '2026-12',
        historyFrom: '2024-01',
        historyTo: '2026-11',
        historyMonths: 35,
        categories: [],
        total: {
          categoryId: null,
          name: null,
          months: [
            {
              period: '2026-12',
              contracts: 412_000,
              bills: 0,
              history: 1_530_000,
              total: 1_942_000,
              low: 1_650_000,
              high: 2_230_000,
            },
          ],
          sum: {
            contracts: 412_000,
            bills: 0,
            history: 1_530_000,
            total: 1_942_000,
            low: 1_650_000,
            high: 2_230_000,
          },
          explanation: {
            sv: '1 mån: 19 420 kr. Kända avtal: 4 120 kr (Hyra, Netflix); historik: 15 300 kr (säsong per månad och trend ur 35 månaders historik; intervall 16 500 kr–22 300 kr).',
            en: '1 mo: SEK 19,420. Known contracts: SEK 4,120 (Hyra, Netflix); history: SEK 15,300 (monthly seasonality and trend from 35 months of history; interval SEK 16,500–SEK 22,300).',
          },
        },
      },
    }),
);
export class ForecastResponseDto extends createZodDto(forecastResponseSchema) {}
