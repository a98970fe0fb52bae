import { createZodDto, fitsView } from '../../../common/http/zod';
import type { CarView } from './cars.service';
import { z } from 'zod';
import { amount, calendarDate, currency, multilineText, pageQuery, text } from '../../../common/http/zod';
import { undoPayloadSchema } from '../../trash/trash.undo';
import { FUEL_TYPES, ODOMETER_UNITS } from '../common/car-kinds';

const carFields = {
  name: text(120).optional().describe('Default: make and model'),
  registration: text(12).describe('Swedish registration number: ABC 123 or ABC 12A'),
  personalPlate: z.boolean().optional().describe('A personal plate (2–7 letters and digits)'),
  make: text(60).nullable().optional(),
  model: text(60).nullable().optional(),
  year: z.number().int().min(1886).max(2100).nullable().optional(),
  fuelTypes: z.array(z.enum(FUEL_TYPES)).max(4).optional(),
  purchaseDate: calendarDate.nullable().optional(),
  purchasePrice: amount.nullable().optional(),
  currency: currency.optional(),
  odometerUnit: z.enum(ODOMETER_UNITS).optional().describe('km, or mil (Swedish mile, 10 km); default km'),
  serviceIntervalKm: z.number().int().min(100).max(200_000).nullable().optional(),
  serviceIntervalMonths: z.number().int().min(1).max(120).nullable().optional(),
  serviceCombine: z
    .enum(['first', 'later'])
    .optional()
    .describe('Service due at whichever comes first (default) or later'),
  inspectionDue: calendarDate.nullable().optional().describe('Besiktning: the last day'),
  taxDue: calendarDate.nullable().optional().describe('Fordonsskatt: the next due day'),
  insuranceRenewal: calendarDate.nullable().optional(),
  reminderLeadDays: z.array(z.number().int().min(0).max(365)).max(5).nullable().optional(),
  reminderLeadKm: z.number().int().min(0).max(20_000).nullable().optional(),
  notes: multilineText(2000).nullable().optional(),
};

export class CreateCarDto extends createZodDto(
  z.strictObject(carFields).meta({
    example: {
      registration: 'ABC 123',
      make: 'Volvo',
      model: 'V60',
      year: 2021,
      fuelTypes: ['plugin_hybrid'],
      odometerUnit: 'mil',
      serviceIntervalKm: 30_000,
      serviceIntervalMonths: 24,
      inspectionDue: '2027-05-31',
    },
  }),
) {}
export class UpdateCarDto extends createZodDto(
  z
    .strictObject({ ...carFields, registration: carFields.registration.optional() })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}
export class ListCarsQueryDto extends createZodDto(pageQuery) {}

const car = fitsView<CarView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    registration: z.string(),
    registrationDisplay: z.string(),
    personalPlate: z.boolean(),
    make: z.string().nullable(),
    model: z.string().nullable(),
    year: z.number().int().nullable(),
    fuelTypes: z.array(z.enum(FUEL_TYPES)),
    purchaseDate: z.string().nullable(),
    purchasePrice: z.number().int().nullable(),
    currency: z.string(),
    odometerUnit: z.enum(ODOMETER_UNITS),
    serviceIntervalKm: z.number().int().nullable(),
    serviceIntervalMonths: z.number().int().nullable(),
    serviceCombine: z.enum(['first', 'later']),
    inspectionDue: z.string().nullable(),
    taxDue: z.string().nullable(),
    insuranceRenewal: z.string().nullable(),
    reminderLeadDays: z.array(z.number().int()).nullable(),
    reminderLeadKm: z.number().int().nullable(),
    notes: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class CarResponseDto extends createZodDto(car) {}
export class CarPageResponseDto extends createZodDto(
  z.object({ items: z.array(car), nextCursor: z.string().nullable() }),
) {}
export class DeletedCarResponseDto extends createZodDto(undoPayloadSchema) {}
