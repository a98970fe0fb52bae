import { createZodDto, fitsView } from '../../../common/http/zod';
import type { SecurityEventView } from './security-events.service';
import { z } from 'zod';
import { pageQuery } from '../../../common/http/zod';
import { SECURITY_EVENT_TYPES } from './security-events.schema';

export class SecurityEventsQueryDto extends createZodDto(pageQuery) {}

const securityEvent = fitsView<SecurityEventView>()(
  z.object({
    id: z.string(),
    type: z.enum(SECURITY_EVENT_TYPES),
    at: z.string().describe('ISO 8601 UTC'),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
);

export class SecurityEventPageResponseDto extends createZodDto(
  z.object({ items: z.array(securityEvent), nextCursor: z.string().nullable() }),
) {}
