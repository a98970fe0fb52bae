import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';

const text = z.object({ sv: z.string(), en: z.string() });
export class EventCatalogueResponseDto extends createZodDto(
  z.array(
    z.object({
      type: z.string(),
      title: text,
      ordered: z.boolean().describe('Deliveries of one record keep their order per endpoint'),
      example: z.object({
        type: z.string(),
        timestamp: z.iso.datetime(),
        data: z.record(z.string(), z.unknown()),
      }),
    }),
  ),
) {}
