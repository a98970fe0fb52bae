import { Injectable } from '@nestjs/common';
import { addDays } from '../../../common/dates';
import {
  ReminderChecksRepository,
  ReminderScansRepository,
  ReminderSchedulesRepository,
  type DueCheck,
} from './schedule.repository';

/** What the daily scan reads from the schedule for a day. */
export interface ScheduleDue {
  /** The days read: those since the last scan through the day (only the day the first time). */
  days: string[];
  /** Records due for a check, per organization. */
  due: Map<string, Omit<DueCheck, 'organizationId'>[]>;
  /** Organizations whose schedule is built with `version`. */
  built: Set<string>;
}

/** The cross-organization side of the reminder schedule: the daily scan's reads and its bookmark. */
@Injectable()
export class ReminderScheduleService {
  constructor(
    private readonly checks: ReminderChecksRepository,
    private readonly schedules: ReminderSchedulesRepository,
    private readonly scans: ReminderScansRepository,
  ) {}

  async dueThrough(date: string, version: number): Promise<ScheduleDue> {
    const last = await this.scans.lastDay();
    const days = last && last < date ? daysAfter(last, date) : [date];
    const due = new Map<string, Omit<DueCheck, 'organizationId'>[]>();
    for (const day of days) {
      for (const { organizationId, ...ref } of await this.checks.dueAcrossOrganizations(day)) {
        const refs = due.get(organizationId) ?? [];
        refs.push(ref);
        due.set(organizationId, refs);
      }
    }
    return { days, due, built: await this.schedules.builtAcrossOrganizations(version) };
  }

  /**
   * The runs for `days` are queued (their jobs carry the records): removes those days' rows and moves the bookmark
   * forward to `date` (never back: a rerun of an earlier day leaves it).
   */
  async scanned(date: string, days: readonly string[]): Promise<void> {
    for (const day of days) await this.checks.removeDay(day);
    const last = await this.scans.lastDay();
    if (!last || last < date) await this.scans.setLastDay(date);
  }
}

/** The days after `from` through `to`, at most a year of them. */
function daysAfter(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = to; day > from && days.length < 366; day = addDays(day, -1)) days.push(day);
  return days.reverse();
}
