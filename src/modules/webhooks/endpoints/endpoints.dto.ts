import { createZodDto, fitsView } from '../../../common/http/zod';
import type { EndpointView } from './endpoints.service';
import { z } from 'zod';
import { pageQuery, text } from '../../../common/http/zod';
import { undoPayloadSchema } from '../../trash/trash.undo';
import { WEBHOOK_EVENT_TYPES } from '../common/event-catalogue';
import { WEBHOOK_FORMATS } from '../common/formats';
import { DELIVERY_STATUSES } from '../deliveries/deliveries.schema';
import { DISABLED_REASONS, ENDPOINT_LANGUAGES } from './endpoints.schema';

const eventType = z.enum(WEBHOOK_EVENT_TYPES as [string, ...string[]]);
const url = z
  .string()
  .trim()
  .max(2_000)
  .refine((v) => URL.canParse(v), 'must be an absolute http(s) URL')
  .describe('http(s) URL; checked by the SSRF guard now and at every attempt');

const fields = {
  name: text(100),
  url,
  format: z.enum(WEBHOOK_FORMATS).describe('json (Standard Webhooks), discord, slack or home_assistant'),
  language: z
    .enum(ENDPOINT_LANGUAGES)
    .optional()
    .describe('Texts in Discord/Slack/Home Assistant bodies; default sv'),
  eventTypes: z
    .array(eventType)
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length)
    .describe('Event types of GET /webhooks/events'),
};

export class CreateEndpointDto extends createZodDto(
  z.strictObject(fields).meta({
    example: {
      name: 'Hemma-Discord',
      url: 'https://discord.com/api/webhooks/1234567890/abcdefghijklmnopqrstuvwxyz',
      format: 'discord',
      language: 'sv',
      eventTypes: ['bill.created', 'contract.ending_soon', 'warranty.expiring'],
    },
  }),
) {}

export class UpdateEndpointDto extends createZodDto(
  z
    .strictObject({
      name: fields.name.optional(),
      url: url.optional(),
      format: fields.format.optional(),
      language: fields.language,
      eventTypes: fields.eventTypes.optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change')
    .meta({ example: { eventTypes: ['bill.created', 'bill.updated'] } }),
) {}

export class RotateSecretDto extends createZodDto(
  z
    .strictObject({
      overlapHours: z
        .number()
        .int()
        .min(0)
        .max(168)
        .optional()
        .describe('How long the earlier secrets keep signing (default 24; 0 stops them now)'),
    })
    .meta({ example: { overlapHours: 24 } }),
) {}

export class ReplaySinceDto extends createZodDto(
  z
    .strictObject({
      since: z.iso
        .datetime({ offset: true })
        .describe('Deliveries of events that happened at or after this instant'),
      which: z.enum(['failed', 'all']).optional().describe('failed (default) or all (also those delivered)'),
    })
    .meta({ example: { since: '2026-12-01T00:00:00Z', which: 'failed' } }),
) {}

export class ListDeliveriesQueryDto extends createZodDto(
  pageQuery.extend({ status: z.enum(DELIVERY_STATUSES).optional() }),
) {}

const secretInfo = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
});
const endpoint = fitsView<EndpointView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    url: z.string().describe('Masked'),
    format: z.enum(WEBHOOK_FORMATS),
    language: z.enum(ENDPOINT_LANGUAGES),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.enum(DISABLED_REASONS).nullable(),
    disabledAt: z.iso.datetime().nullable(),
    secrets: z.array(secretInfo).describe('Live secrets (the newest first); the values are shown only once'),
    failingSince: z.iso.datetime().nullable(),
    lastSuccessAt: z.iso.datetime().nullable(),
    lastFailureAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class EndpointResponseDto extends createZodDto(endpoint) {}
export class EndpointWithSecretResponseDto extends createZodDto(
  endpoint.extend({ secret: z.string().describe('whsec_…: shown only in this answer') }),
) {}
export class EndpointPageResponseDto extends createZodDto(
  z.object({ items: z.array(endpoint), nextCursor: z.string().nullable() }),
) {}
export class DeletedEndpointResponseDto extends createZodDto(undoPayloadSchema) {}
export class ReplayedResponseDto extends createZodDto(z.object({ replayed: z.number().int() })) {}
