/**
 * Home maintenance schedules: pure rules over calendar dates (Europe/Stockholm days) and meter readings
 * (operating hours, kilometres), unit-tested in `recurrence.spec.ts` (docs/maintenance.md).
 *
 * - A calendar task recurs every N days, weeks, months or years. Months and years clamp at month ends and are
 *   always counted from the schedule's anchor (31 Jan → 28 Feb → 31 Mar), never from a clamped date.
 * - A meter task (lawn mower, boat engine, snow blower) recurs every N operating hours or kilometres.
 * - `from_completion`: the next due is the completion (date or reading) plus the interval.
 * - `fixed`: the schedule keeps its rhythm: the next due is the first occurrence after both the current due and the
 *   completion, so a completion long after the due skips the periods already missed and an early one moves to the
 *   following occurrence.
 */
import { addDays, addMonthsToDate, daysBetween } from '../../../common/dates';
import { DEFAULT_LEAD_DAYS, DEFAULT_LEAD_KM } from '../../reminders/reminders.contract';

export const CALENDAR_UNITS = ['day', 'week', 'month', 'year'] as const;
export const METER_UNITS = ['hour', 'km'] as const;
export const RECURRENCE_UNITS = [...CALENDAR_UNITS, ...METER_UNITS] as const;
export const SCHEDULE_MODES = ['from_completion', 'fixed'] as const;

export type CalendarUnit = (typeof CALENDAR_UNITS)[number];
export type MeterUnit = (typeof METER_UNITS)[number];
export type RecurrenceUnit = (typeof RECURRENCE_UNITS)[number];
export type ScheduleMode = (typeof SCHEDULE_MODES)[number];

export const isMeterUnit = (unit: RecurrenceUnit): unit is MeterUnit =>
  (METER_UNITS as readonly string[]).includes(unit);

/** `date` plus `times` intervals of `every` `unit`s (month ends clamped, counted from `date`). */
export function addInterval(date: string, every: number, unit: CalendarUnit, times = 1): string {
  switch (unit) {
    case 'day':
      return addDays(date, every * times);
    case 'week':
      return addDays(date, 7 * every * times);
    case 'month':
      return addMonthsToDate(date, every * times);
    case 'year':
      return addMonthsToDate(date, 12 * every * times);
  }
}

const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

/** The first occurrence `anchor + k·interval` (k ≥ 1) strictly after `after`. */
export function firstOccurrenceAfter(
  anchor: string,
  every: number,
  unit: CalendarUnit,
  after: string,
): string {
  let k = 1;
  if (after > anchor) {
    // Jump close to `after`, then step: at most a couple of steps whatever the gap.
    const estimate =
      unit === 'day' || unit === 'week'
        ? Math.floor(daysBetween(anchor, after) / (every * (unit === 'week' ? 7 : 1)))
        : Math.floor((monthIndex(after) - monthIndex(anchor)) / (every * (unit === 'year' ? 12 : 1)));
    k = Math.max(1, estimate - 1);
  }
  let candidate = addInterval(anchor, every, unit, k);
  while (candidate <= after) candidate = addInterval(anchor, every, unit, ++k);
  return candidate;
}

export interface CalendarSchedule {
  every: number;
  unit: CalendarUnit;
  mode: ScheduleMode;
  /** The due date being completed. */
  due: string;
  /** Where a fixed schedule counts from (the first due date, or the one last set by hand). */
  anchor: string;
}

/** The next due date after a completion on `completedOn`. */
export function nextDueDate(schedule: CalendarSchedule, completedOn: string): string {
  if (schedule.mode === 'from_completion') return addInterval(completedOn, schedule.every, schedule.unit);
  const after = completedOn > schedule.due ? completedOn : schedule.due;
  return firstOccurrenceAfter(schedule.anchor, schedule.every, schedule.unit, after);
}

export interface MeterSchedule {
  every: number;
  mode: ScheduleMode;
  /** The reading the task is due at. */
  dueReading: number;
}

/** The next due reading after a completion at `reading`. */
export function nextDueReading(schedule: MeterSchedule, reading: number): number {
  if (schedule.mode === 'from_completion') return reading + schedule.every;
  const after = Math.max(reading, schedule.dueReading);
  const steps = Math.floor((after - schedule.dueReading) / schedule.every) + 1;
  return schedule.dueReading + steps * schedule.every;
}

const APPROXIMATE_DAYS: Record<CalendarUnit, number> = { day: 1, week: 7, month: 30, year: 365 };

/** The interval in days (months as 30, years as 365): what the default lead times are measured against. */
export const intervalDays = (every: number, unit: CalendarUnit): number => every * APPROXIMATE_DAYS[unit];

/**
 * Default reminder leads of a calendar task: the engine's 30 and 7 days, keeping only those at most half the
 * interval (a weekly task is not announced a month ahead); when none is left, half the interval rounded down
 * (weekly: 3 days, every other day: 1, daily: on the day).
 */
export function defaultLeadDays(every: number, unit: CalendarUnit): number[] {
  const half = intervalDays(every, unit) / 2;
  const kept = DEFAULT_LEAD_DAYS.filter((lead) => lead <= half);
  return kept.length ? kept : [Math.floor(half)];
}

/**
 * Default reminder lead of a meter task: a tenth of the interval (at least 1), at most the engine's 1 000 km
 * (every 50 hours: 5 hours before; every 20 000 km: 1 000 km before).
 */
export function defaultLeadReading(every: number): number {
  return Math.min(DEFAULT_LEAD_KM, Math.max(1, Math.round(every / 10)));
}

/** Overdue: the due date is before today, or the current reading has reached the due reading. */
export function isOverdue(
  task: { nextDue: string | null; currentReading: number | null; dueReading: number | null },
  today: string,
): boolean {
  return (
    (task.nextDue !== null && task.nextDue < today) ||
    (task.currentReading !== null && task.dueReading !== null && task.currentReading >= task.dueReading)
  );
}
