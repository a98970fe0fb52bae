import { z } from 'zod';
import { createZodDto, fitsView } from '../../../common/http/zod';
import type { CalendarService, CalendarTokenView } from './calendar.service';

export class CalendarFeedQueryDto extends createZodDto(
  z.strictObject({ lang: z.enum(['sv', 'en']).default('sv').describe('Language of the event titles') }),
) {}

export class CalendarTokenResponseDto extends createZodDto(
  fitsView<CalendarTokenView>()(
    z.object({
      token: z.string().describe('Shown once: the feed URL is the only credential'),
      path: z.string().describe('Subscribe to https://<this server><path>'),
    }),
  ),
) {}

export class CalendarTokenStatusDto extends createZodDto(
  fitsView<Awaited<ReturnType<CalendarService['status']>>>()(
    z.object({ active: z.boolean(), createdAt: z.iso.datetime().nullable() }),
  ),
) {}
