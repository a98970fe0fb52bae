import { z } from 'zod';
import { createZodDto } from '../../common/http/zod';

export class LivenessResponseDto extends createZodDto(z.object({ status: z.literal('ok') })) {}

const up = z.enum(['up', 'down']);
/** The readiness answer, 200 (`ok`) or 503 (`unavailable`): the same shape either way. */
export const readinessResponse = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    mongodb: up,
    redis: up,
    workers: z
      .enum(['running', 'paused'])
      .optional()
      .describe('APP_ROLE=all only: `paused` while the database watchdog holds the queue workers'),
  })
  .meta({ example: { status: 'ok', mongodb: 'up', redis: 'up', workers: 'running' } });
export class ReadinessResponseDto extends createZodDto(readinessResponse) {}
