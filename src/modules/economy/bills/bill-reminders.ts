import { Injectable, OnModuleInit } from '@nestjs/common';
import { formatMoney } from '../../../common/money';
import type { ReminderOccasion, ReminderSource } from '../../reminders/reminders.contract';
import { ReminderSources } from '../../reminders/sources/reminder-sources';
import { ECONOMY_RECORD_TYPES } from '../economy.records';
import { SuppliersRepository } from '../suppliers/suppliers.repository';
import { BillsRepository } from './bills.repository';

/** A bill is reminded of a week and a day before it is due: a month ahead is noise for a bill. */
export const BILL_LEAD_DAYS: readonly number[] = [7, 1];

/**
 * Open bills for the reminder engine, due or overdue (an overdue bill's reminder stays open until the bill is paid
 * or deleted, which makes it obsolete).
 */
@Injectable()
export class BillReminders implements ReminderSource, OnModuleInit {
  readonly kinds = ['bill.due'] as const;
  readonly sourceType = ECONOMY_RECORD_TYPES.bill;

  constructor(
    private readonly sources: ReminderSources,
    private readonly bills: BillsRepository,
    private readonly suppliers: SuppliersRepository,
  ) {}

  onModuleInit(): void {
    this.sources.register(this);
  }

  async occasions(_today: string, ids?: readonly string[]): Promise<ReminderOccasion[]> {
    const bills = await this.bills.open(ids);
    const suppliers = new Map(
      (
        await this.suppliers.findByIds([...new Set(bills.map((b) => b.supplierId))], { withDeleted: true })
      ).map((s) => [s._id, s.name]),
    );
    return bills.map((bill) => {
      const who = suppliers.get(bill.supplierId) ?? '';
      const amount = (locale: 'sv' | 'en') => formatMoney(bill.amount, { currency: bill.currency, locale });
      return {
        kind: 'bill.due',
        sourceType: ECONOMY_RECORD_TYPES.bill,
        sourceId: bill._id,
        title: {
          sv: `Räkning från ${who} på ${amount('sv')} förfaller ${bill.dueDate}`,
          en: `Bill from ${who} of ${amount('en')} due on ${bill.dueDate}`,
        },
        trigger: { date: { dueDate: bill.dueDate, leadDays: BILL_LEAD_DAYS } },
        amount: bill.amount,
        currency: bill.currency,
      };
    });
  }
}
