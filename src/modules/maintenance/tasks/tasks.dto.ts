import { createZodDto, fitsView } from '../../../common/http/zod';
import type { TaskView } from './tasks.service';
import { z } from 'zod';
import { calendarDate, multilineText, pageQuery, recordId, text } from '../../../common/http/zod';
import { undoPayloadSchema } from '../../trash/trash.undo';
import { METER_UNITS, RECURRENCE_UNITS, SCHEDULE_MODES } from '../common/recurrence';

const MAX_READING = 10_000_000;
const reading = z.number().min(0).max(MAX_READING);
const isMeter = (unit: string) => (METER_UNITS as readonly string[]).includes(unit);

const recurrence = z
  .strictObject({
    every: z.number().int().min(1).max(10_000),
    unit: z
      .enum(RECURRENCE_UNITS)
      .describe('day, week, month, year (by the calendar) or hour, km (by a machine’s meter)'),
  })
  .describe('Every N days/weeks/months/years, or every N operating hours/kilometres');

const taskFields = {
  title: text(120).describe('What to do ("Byt filter i värmepumpen")'),
  description: multilineText(2000).nullable().optional(),
  area: text(120)
    .nullable()
    .optional()
    .describe('The part of the home or the machine ("Värmepump", "Takrännor")'),
  recurrence,
  scheduleMode: z
    .enum(SCHEDULE_MODES)
    .optional()
    .describe('from_completion (default): next due = completion + interval; fixed: keeps the schedule'),
  assigneeId: recordId.nullable().optional().describe('A member of the organization (a user id)'),
  nextDue: calendarDate
    .optional()
    .describe('Calendar tasks: the next due date (default today plus the interval)'),
  lastReading: reading
    .optional()
    .describe('Meter tasks (required): the reading at the last time it was done'),
  currentReading: reading.optional().describe('Meter tasks: the latest reading (default lastReading)'),
  leadDays: z
    .array(z.number().int().min(0).max(365))
    .max(5)
    .nullable()
    .optional()
    .describe('Calendar tasks: remind this many days before (default 30 and 7, at most half the interval)'),
  leadReading: z
    .number()
    .min(0)
    .max(MAX_READING)
    .nullable()
    .optional()
    .describe('Meter tasks: remind this many hours/km before (default a tenth of the interval, ≤ 1 000)'),
  notes: multilineText(2000).nullable().optional(),
};

const CALENDAR_ONLY = ['nextDue', 'leadDays'] as const;
const METER_ONLY = ['lastReading', 'currentReading', 'leadReading'] as const;

export class CreateMaintenanceTaskDto extends createZodDto(
  z
    .strictObject(taskFields)
    .superRefine((v, ctx) => {
      const meter = isMeter(v.recurrence.unit);
      for (const field of meter ? CALENDAR_ONLY : METER_ONLY)
        if (v[field] !== undefined && v[field] !== null)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: meter ? 'only for tasks by days/weeks/months/years' : 'only for tasks by hours/km',
          });
      if (meter && v.lastReading === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['lastReading'],
          message: 'a task by hours/km needs lastReading',
        });
      if (
        meter &&
        v.currentReading !== undefined &&
        v.lastReading !== undefined &&
        v.currentReading < v.lastReading
      )
        ctx.addIssue({ code: 'custom', path: ['currentReading'], message: 'must not be below lastReading' });
    })
    .meta({
      example: {
        title: 'Byt filter i värmepumpen',
        area: 'Värmepump',
        recurrence: { every: 3, unit: 'month' },
        nextDue: '2027-01-15',
        scheduleMode: 'from_completion',
      },
    }),
) {}

/** A meter task's lastReading moves only with its completions. */
const { lastReading: _lastReading, ...updatable } = taskFields;

export class UpdateMaintenanceTaskDto extends createZodDto(
  z
    .strictObject({ ...updatable, title: taskFields.title.optional(), recurrence: recurrence.optional() })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

export class ListMaintenanceTasksQueryDto extends createZodDto(
  pageQuery.extend({
    overdue: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true: only tasks due before today (Europe/Stockholm) or whose reading has been reached'),
    assigneeId: recordId.optional(),
  }),
) {}

export class OverdueQueryDto extends createZodDto(pageQuery.extend({ assigneeId: recordId.optional() })) {}

const task = fitsView<TaskView>()(
  z.object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    area: z.string().nullable(),
    recurrence: z.object({ every: z.number().int(), unit: z.enum(RECURRENCE_UNITS) }),
    scheduleMode: z.enum(SCHEDULE_MODES),
    assigneeId: z.string().nullable(),
    nextDue: z.string().nullable().describe('Calendar tasks'),
    lastReading: z.number().nullable().describe('Meter tasks'),
    currentReading: z.number().nullable(),
    dueReading: z.number().nullable(),
    overdue: z.boolean(),
    leadDays: z.array(z.number().int()).nullable(),
    leadReading: z.number().nullable(),
    reminderLeads: z
      .object({ days: z.array(z.number().int()).nullable(), reading: z.number().nullable() })
      .describe('The leads the reminders use (the task’s, or the defaults)'),
    lastCompletedOn: z.string().nullable(),
    notes: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class MaintenanceTaskResponseDto extends createZodDto(task) {}
export class MaintenanceTaskPageResponseDto extends createZodDto(
  z.object({ items: z.array(task), nextCursor: z.string().nullable() }),
) {}
export class DeletedMaintenanceTaskResponseDto extends createZodDto(undoPayloadSchema) {}
