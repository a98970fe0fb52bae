import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ReminderOccasion, ReminderSource } from '../../reminders/reminders.contract';
import { ReminderSources } from '../../reminders/sources/reminder-sources';
import { isMeterUnit } from '../common/recurrence';
import { MAINTENANCE_RECORD_TYPES } from '../maintenance.records';
import { MaintenanceTasksRepository } from './tasks.repository';
import { reminderLeads } from './tasks.service';

const METER_SV = { hour: 'timmar', km: 'km' } as const;
const METER_EN = { hour: 'hours', km: 'km' } as const;

/**
 * The maintenance tasks' occasions for the reminder engine (kind `maintenance.task`): a calendar task on its next
 * due date with its leads (default 30 and 7 days, at most half the interval); a task by operating hours or km as a
 * distance trigger at its due reading, against its current reading — none while no reading is known.
 */
@Injectable()
export class MaintenanceReminders implements ReminderSource, OnModuleInit {
  readonly kinds = ['maintenance.task'] as const;
  readonly sourceType = MAINTENANCE_RECORD_TYPES.task;

  constructor(
    private readonly sources: ReminderSources,
    private readonly tasks: MaintenanceTasksRepository,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async occasions(_today: string, ids?: readonly string[]): Promise<ReminderOccasion[]> {
    const out: ReminderOccasion[] = [];
    for (const task of await this.tasks.all(ids)) {
      const base = {
        kind: 'maintenance.task' as const,
        sourceType: MAINTENANCE_RECORD_TYPES.task,
        sourceId: task._id,
      };
      const what = task.area ? `${task.area}: ${task.title}` : task.title;
      const leads = reminderLeads(task);
      if (!isMeterUnit(task.unit)) {
        if (task.nextDue && leads.days)
          out.push({
            ...base,
            title: {
              sv: `Underhåll: ${what} senast ${task.nextDue}`,
              en: `Maintenance: ${what} due ${task.nextDue}`,
            },
            trigger: { date: { dueDate: task.nextDue, leadDays: leads.days } },
          });
      } else if (task.dueReading !== null && task.currentReading !== null && leads.reading !== null) {
        out.push({
          ...base,
          title: {
            sv: `Underhåll: ${what} vid ${task.dueReading} ${METER_SV[task.unit]}`,
            en: `Maintenance: ${what} at ${task.dueReading} ${METER_EN[task.unit]}`,
          },
          trigger: { distance: { dueOdometer: task.dueReading, leadKm: leads.reading } },
          odometer: task.currentReading,
        });
      }
    }
    return out;
  }
}
