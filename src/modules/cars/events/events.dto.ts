import { createZodDto, fitsView } from '../../../common/http/zod';
import type { CarEventView } from './events.service';
import { z } from 'zod';
import { calendarDate, currency, MAX_AMOUNT, multilineText, pageQuery, text } from '../../../common/http/zod';
import { undoPayloadSchema } from '../../trash/trash.undo';
import { EVENT_TYPES, FUEL_TYPES, QUANTITY_UNITS } from '../common/car-kinds';

const eventFields = {
  type: z.enum(EVENT_TYPES),
  date: calendarDate,
  odometer: z.number().min(0).max(10_000_000).nullable().optional().describe("In the car's odometer unit"),
  cost: z.number().int('must be whole öre').min(0).max(MAX_AMOUNT).describe('Öre, 0 or more'),
  currency: currency.optional(),
  quantity: z.number().positive().max(100_000).nullable().optional().describe('Fuel: litres or kWh'),
  quantityUnit: z.enum(QUANTITY_UNITS).nullable().optional(),
  fullTank: z
    .boolean()
    .optional()
    .describe('Fuel: filled up (consumption is computed full tank to full tank)'),
  fuelType: z.enum(FUEL_TYPES).nullable().optional(),
  station: text(120).nullable().optional(),
  notes: multilineText(2000).nullable().optional(),
  confirm: z
    .boolean()
    .optional()
    .describe('Store an odometer reading the plausibility guard questions (flagged)'),
};
const withUnit = <T extends { quantity?: number | null; quantityUnit?: string | null }>(v: T) =>
  v.quantity === undefined || v.quantity === null || !!v.quantityUnit;

export class CreateCarEventDto extends createZodDto(
  z
    .strictObject(eventFields)
    .refine(withUnit, { message: 'quantity needs quantityUnit', path: ['quantityUnit'] })
    .meta({
      example: {
        type: 'fuel',
        date: '2026-11-28',
        odometer: 4_512,
        cost: 78_450,
        quantity: 41.2,
        quantityUnit: 'l',
        fullTank: true,
        fuelType: 'petrol',
        station: 'Circle K Solna',
      },
    }),
) {}
export class UpdateCarEventDto extends createZodDto(
  z
    .strictObject({
      ...eventFields,
      type: eventFields.type.optional(),
      date: calendarDate.optional(),
      cost: eventFields.cost.optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}
export class ListCarEventsQueryDto extends createZodDto(
  pageQuery.extend({
    type: z.enum(EVENT_TYPES).optional(),
    from: calendarDate.optional(),
    to: calendarDate.optional(),
  }),
) {}

const event = fitsView<CarEventView>()(
  z.object({
    id: z.string(),
    carId: z.string(),
    type: z.enum(EVENT_TYPES),
    date: z.string(),
    odometer: z.number().nullable(),
    cost: z.number().int(),
    currency: z.string(),
    quantity: z.number().nullable(),
    quantityUnit: z.enum(QUANTITY_UNITS).nullable(),
    fullTank: z.boolean(),
    fuelType: z.enum(FUEL_TYPES).nullable(),
    station: z.string().nullable(),
    notes: z.string().nullable(),
    flag: z.string().nullable().describe('Why the plausibility guard questioned a confirmed reading'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class CarEventResponseDto extends createZodDto(event) {}
export class CarEventPageResponseDto extends createZodDto(
  z.object({ items: z.array(event), nextCursor: z.string().nullable() }),
) {}
export class DeletedCarEventResponseDto extends createZodDto(undoPayloadSchema) {}
