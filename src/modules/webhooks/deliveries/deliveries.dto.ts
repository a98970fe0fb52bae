import { createZodDto, fitsView } from '../../../common/http/zod';
import type { DeliveryView } from './deliveries.service';
import { z } from 'zod';
import { DELIVERY_STATUSES } from './deliveries.schema';

const attempt = z.object({
  n: z.number().int(),
  at: z.iso.datetime(),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  response: z.string().nullable().describe('The first 512 characters of the answer'),
});
export const deliverySchema = fitsView<DeliveryView>()(
  z.object({
    id: z.string(),
    endpointId: z.string(),
    eventId: z.string(),
    messageId: z.string().describe('The webhook-id header'),
    eventType: z.string(),
    occurredAt: z.iso.datetime(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int().describe('Attempts of the current round (a replay starts a new one)'),
    nextAttemptAt: z.iso.datetime().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    log: z.array(attempt),
    createdAt: z.iso.datetime(),
  }),
);
export class DeliveryResponseDto extends createZodDto(deliverySchema) {}
export class DeliveryPageResponseDto extends createZodDto(
  z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() }),
) {}
export class EventResponseDto extends createZodDto(
  z.object({
    id: z.string(),
    messageId: z.string(),
    type: z.string(),
    occurredAt: z.iso.datetime(),
    data: z.record(z.string(), z.unknown()),
  }),
) {}
