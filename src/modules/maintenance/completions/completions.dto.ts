import { createZodDto, fitsView } from '../../../common/http/zod';
import type { CompletionView } from './completions.service';
import { z } from 'zod';
import { calendarDate, MAX_AMOUNT, multilineText, pageQuery } from '../../../common/http/zod';

export class CompleteMaintenanceTaskDto extends createZodDto(
  z.strictObject({
    date: calendarDate.optional().describe('The day it was done (default today, Europe/Stockholm)'),
    cost: z
      .number()
      .int('must be whole öre')
      .min(0)
      .max(MAX_AMOUNT)
      .optional()
      .describe('Öre, 0 or more (default 0)'),
    note: multilineText(2000).nullable().optional(),
    reading: z
      .number()
      .min(0)
      .max(10_000_000)
      .optional()
      .describe('Meter tasks (required): the operating hours or kilometres when it was done'),
  }),
) {}

export class ListCompletionsQueryDto extends createZodDto(pageQuery) {}

const completion = fitsView<CompletionView>()(
  z.object({
    id: z.string(),
    taskId: z.string(),
    date: z.string(),
    cost: z.number().int(),
    currency: z.string(),
    note: z.string().nullable(),
    reading: z.number().nullable(),
    completedBy: z.string().nullable().describe('The user who recorded it'),
    dueDate: z.string().nullable().describe('What was due when it was done'),
    dueReading: z.number().nullable(),
    nextDue: z.string().nullable().describe('What the completion made due next'),
    nextDueReading: z.number().nullable(),
    createdAt: z.iso.datetime(),
  }),
);
export class MaintenanceCompletionResponseDto extends createZodDto(completion) {}
export class MaintenanceCompletionPageResponseDto extends createZodDto(
  z.object({ items: z.array(completion), nextCursor: z.string().nullable() }),
) {}

export class MaintenanceCostsResponseDto extends createZodDto(
  z.object({
    years: z.array(
      z.object({
        year: z.string(),
        currency: z.string(),
        cost: z.number().int().describe('Öre'),
        completions: z.number().int(),
      }),
    ),
  }),
) {}
