import { z } from 'zod';
import { createZodDto, fitsView } from '../../../common/http/zod';
import type { StripeWebhookResult } from './stripe-events.service';

export class StripeWebhookResponseDto extends createZodDto(
  fitsView<StripeWebhookResult>()(
    z.object({
      received: z.literal(true),
      eventId: z.string(),
      outcome: z
        .enum(['applied', 'no_change', 'ignored', 'unknown_organization', 'duplicate'])
        .describe('`duplicate`: the event id was seen before and is ignored'),
    }),
  ),
) {}
