import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { EVENT_TYPES, QUANTITY_UNITS } from '../common/car-kinds';

export class CarStatsResponseDto extends createZodDto(
  z.object({
    carId: z.string(),
    currency: z.string(),
    runningCost: z.number().int(),
    purchasePrice: z.number().int().nullable(),
    totalCostOfOwnership: z.number().int(),
    distance: z.number(),
    costPerKm: z.number().int().nullable().describe('Öre per km'),
    odometer: z.object({
      latest: z.number().nullable(),
      estimatedToday: z.number().nullable(),
      unit: z.string(),
    }),
    perYear: z.array(z.object({ year: z.string(), cost: z.number().int() })),
    perMonth: z.array(z.object({ period: z.string(), cost: z.number().int() })),
    byType: z.array(z.object({ type: z.enum(EVENT_TYPES), cost: z.number().int(), count: z.number().int() })),
    consumption: z.array(
      z.object({
        fuelType: z.string().nullable(),
        unit: z.enum(QUANTITY_UNITS),
        per100Km: z.number(),
        quantity: z.number(),
        km: z.number(),
      }),
    ),
    stations: z.array(
      z.object({
        station: z.string(),
        fills: z.number().int(),
        quantity: z.number(),
        unit: z.enum(QUANTITY_UNITS),
        cost: z.number().int(),
        pricePerUnit: z.number().int().describe('Öre per litre or kWh'),
      }),
    ),
  }),
) {}
