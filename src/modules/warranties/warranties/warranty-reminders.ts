import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ReminderOccasion, ReminderSource } from '../../reminders/reminders.contract';
import { ReminderSources } from '../../reminders/sources/reminder-sources';
import { WARRANTIES_RECORD_TYPES } from '../warranties.records';
import { WarrantiesRepository } from './warranties.repository';

/** A warranty's last day, 30 days ahead by default (the warranty's `reminderLeadDays` override it). */
export const WARRANTY_LEAD_DAYS: readonly number[] = [30];

@Injectable()
export class WarrantyReminders implements ReminderSource, OnModuleInit {
  readonly kinds = ['warranty.expiry'] as const;
  readonly sourceType = WARRANTIES_RECORD_TYPES.warranty;

  constructor(
    private readonly sources: ReminderSources,
    private readonly warranties: WarrantiesRepository,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async occasions(today: string, ids?: readonly string[]): Promise<ReminderOccasion[]> {
    return (await this.warranties.runningOn(today, ids)).map((w) => ({
      kind: 'warranty.expiry',
      sourceType: WARRANTIES_RECORD_TYPES.warranty,
      sourceId: w._id,
      title: {
        sv: `Garantin för ${w.item} går ut ${w.endDate}`,
        en: `The warranty for ${w.item} ends on ${w.endDate}`,
      },
      trigger: { date: { dueDate: w.endDate, leadDays: w.reminderLeadDays ?? WARRANTY_LEAD_DAYS } },
      amount: w.price,
      currency: w.currency,
    }));
  }
}
